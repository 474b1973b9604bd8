"""Pages of a long list: which rows one page shows, and the pages around it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paging:
    """Page `page` (from 1) of `total` rows, `size` a page; a page past the last shows the last."""

    page: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def current(self) -> int:
        return min(max(self.page, 1), self.pages)

    @property
    def offset(self) -> int:
        return (self.current - 1) * self.size

    @property
    def first_row(self) -> int:
        return self.offset + 1 if self.total else 0

    @property
    def last_row(self) -> int:
        return min(self.offset + self.size, self.total)
