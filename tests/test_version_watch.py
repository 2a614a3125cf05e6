"""The per-process content version, kept current by Redis's invalidation pushes: a change made by any other
client is seen on the very next read, and unchanged reads cost no round trip."""

import secrets
from collections.abc import Iterator

import pytest
import redis

from ivmt_site import version_watch
from ivmt_site.version_watch import VersionWatch
from tests import servers


@pytest.fixture
def key() -> Iterator[str]:
    name = f"test-{secrets.token_hex(8)}:1:content-version"
    yield name
    redis.Redis.from_url(servers.REDIS).delete(name)


def test_a_change_by_another_client_is_seen_on_the_next_read(key: str) -> None:
    other_server = redis.Redis.from_url(servers.REDIS)
    other_server.set(key, 1)
    watch = VersionWatch(servers.REDIS, key)
    assert watch.current() == 1
    # Set, then read at once, hundreds of times: never the old value, never a wait.
    for version in range(2, 300):
        other_server.set(key, version)
        assert watch.current() == version


def test_unchanged_reads_send_nothing_to_redis(key: str) -> None:
    redis.Redis.from_url(servers.REDIS).set(key, 7)
    watch = VersionWatch(servers.REDIS, key)
    assert watch.current() == 7
    reads = watch.reads
    for _ in range(1000):
        assert watch.current() == 7
    assert watch.reads == reads  # (a second passing would add one refresh read; 1,000 checks take far less)


def test_a_missing_or_foreign_value_is_left_to_the_caller(key: str) -> None:
    watch = VersionWatch(servers.REDIS, key)
    assert watch.current() is None  # missing
    redis.Redis.from_url(servers.REDIS).set(key, b"\x80\x04an old pickled string")
    assert watch.current() is None
    redis.Redis.from_url(servers.REDIS).set(key, 42)
    assert watch.current() == 42


def test_a_dropped_connection_is_noticed_and_replaced(key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = redis.Redis.from_url(servers.REDIS)
    shared.set(key, 1)
    watch = VersionWatch(servers.REDIS, key)
    assert watch.current() == 1
    # Redis closes the watch's connection (a restart, a network cut), and the version changes meanwhile.
    mine = [c for c in shared.client_list() if c["name"] == version_watch.CLIENT_NAME and "t" in c["flags"]]
    assert mine
    for client in mine:
        shared.client_kill_filter(_id=client["id"])
    shared.set(key, 2)
    # The next call sees the closed socket and steps aside (the caller then reads Redis itself): never the
    # old value. After RETRY_SECONDS it connects again.
    assert watch.current() is None
    monkeypatch.setattr(version_watch, "RETRY_SECONDS", 0)
    assert watch.current() == 2


def test_an_unreachable_redis_makes_the_watch_step_aside_at_once() -> None:
    watch = VersionWatch("redis://127.0.0.1:9/0", "nothing")
    assert watch.current() is None
    assert watch.current() is None  # and it does not try to connect again on every request
