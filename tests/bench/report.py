"""What each benchmark returns: a titled table, the bars it is held to, and notes on how it was measured."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Bar:
    description: str  # e.g. "article page rate >= 0.7x the CSS file's"
    measured: str  # e.g. "0.93x"
    passed: bool


@dataclass
class Section:
    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        lines = [f"## {self.title}", ""]
        lines.append("| " + " | ".join(self.header) + " |")
        lines.append("|" + "|".join("---" for _ in self.header) + "|")
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        if self.bars:
            lines += ["", "| Bar | Measured | Met |", "|---|---|---|"]
            lines += [
                f"| {bar.description} | {bar.measured} | {'yes' if bar.passed else '**no**'} |"
                for bar in self.bars
            ]
        if self.notes:
            lines.append("")
            lines += [f"- {note}" for note in self.notes]
        return "\n".join(lines) + "\n"
