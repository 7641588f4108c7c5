"""File plumbing of the parallel batch (``batch_segments.run_file``): cutting the input into segments on
line boundaries, handing them out to the workers, and putting their part files back together in
order."""

from __future__ import annotations

import os
import stat
from typing import BinaryIO


def split_ranges(path: str, parts: int) -> list[tuple[int, int]]:
    """Cut a file into ``parts`` byte ranges that start and end on line boundaries."""
    size = os.path.getsize(path)
    cuts = [0]
    with open(path, "rb") as f:
        for k in range(1, parts):
            f.seek(max(size * k // parts, cuts[-1]))
            if f.tell() > 0:
                f.seek(f.tell() - 1)
                f.readline()  # finish the line we landed in
            cuts.append(min(f.tell(), size))
    cuts.append(size)
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def regular_file_fd(outfile: BinaryIO) -> int | None:
    """The descriptor of ``outfile`` when it is a regular file (workers can write into it and
    parts can be copied inside the kernel), else None (a pipe, a terminal)."""
    try:
        fd = outfile.fileno()
        return fd if stat.S_ISREG(os.fstat(fd).st_mode) else None
    except (AttributeError, OSError, ValueError):
        return None


def append_part(part: str, outfile: BinaryIO, direct_fd: int | None, offset: int = 0,
                length: int | None = None) -> None:
    """Copy ``length`` bytes of a part file from ``offset`` (all of it by default) to the end of
    the output: inside the kernel when the output is a file."""
    with open(part, "rb") as f:
        if length is None:
            length = os.fstat(f.fileno()).st_size - offset
        if direct_fd is not None:
            try:
                while length > 0:
                    copied = os.copy_file_range(f.fileno(), direct_fd, length, offset)
                    if copied == 0:
                        break
                    offset += copied
                    length -= copied
                if length == 0:
                    return
            except OSError:
                pass
            os.lseek(direct_fd, 0, os.SEEK_END)
            with open(direct_fd, "wb", closefd=False) as out:
                _copy(f, out, offset, length)
            return
        _copy(f, outfile, offset, length)


def _copy(src: BinaryIO, dst: BinaryIO, offset: int, length: int) -> None:
    src.seek(offset)
    while length > 0:
        block = src.read(min(length, 1 << 20))
        if not block:
            return
        dst.write(block)
        length -= len(block)


class Claims:
    """Hands out the segments of a file to the workers from both ends: the first worker takes
    them from the front (so its output can go straight into the output file, in order), the
    others from the back, until they meet. No worker sits idle while another still has a long
    way to go, whatever the segments cost."""

    def __init__(self, ctx, count: int):
        self._lock = ctx.Lock()
        self._front = ctx.RawValue("q", 0)
        self._back = ctx.RawValue("q", count - 1)

    def take(self, from_front: bool) -> int | None:
        with self._lock:
            front, back = self._front.value, self._back.value
            if front > back:
                return None
            if from_front:
                self._front.value = front + 1
                return front
            self._back.value = back - 1
            return back
