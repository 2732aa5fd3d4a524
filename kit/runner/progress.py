"""Progress over pairs: a tqdm bar on a terminal, one plain line per finished pair otherwise (CI logs)."""
from __future__ import annotations

import sys
from typing import TextIO


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None, bar: bool | None = None):
        self.stream = stream or sys.stderr
        self.total, self.count = total, 0
        self.bar = None
        if bar if bar is not None else self.stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, file=self.stream, unit="report", dynamic_ncols=True, leave=True)

    def done(self, line: str) -> None:
        """One pair finished; ``line`` says which and how."""
        self.count += 1
        if self.bar is not None:
            self.bar.set_postfix_str(line.split(" ", 1)[-1][:40], refresh=False)
            self.bar.update()
        else:
            print(f"[{self.count}/{self.total}] {line}", file=self.stream, flush=True)

    def say(self, text: str) -> None:
        """A message that must stay visible (a failure)."""
        if self.bar is not None:
            self.bar.write(text, file=self.stream)
        else:
            print(text, file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
