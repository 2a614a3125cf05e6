"""Reader feedback: "Was this page helpful?" on every topic page, stored without anything that identifies the
reader, and rate-limited per address through the cache."""
