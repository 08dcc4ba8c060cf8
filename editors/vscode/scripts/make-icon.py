#!/usr/bin/env python3
"""Draws images/icon.png (128x128): a report page with a squiggly underline and a check
badge on a red tile. Standard library only (zlib PNG writer, 4x4 supersampling)."""
import math
import os
import struct
import zlib

N, SS = 128, 4
RED_TOP, RED_BOTTOM = (0xD4, 0x1F, 0x35), (0xA3, 0x0E, 0x22)
WHITE, FOLD, INK, SQUIGGLE = (0xFF, 0xFF, 0xFF), (0xE3, 0xD7, 0xD0), (0x9A, 0x8F, 0x8C), (0xE0, 0x2A, 0x2A)
GOLD, GOLD_EDGE = (0xF7, 0xC2, 0x3B), (0xFF, 0xFF, 0xFF)


def rounded_rect(x, y, x0, y0, x1, y1, r):
    if not (x0 <= x <= x1 and y0 <= y <= y1):
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def seg_dist(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


LINES = [(44, 42, 86), (56, 42, 80), (68, 42, 86), (84, 42, 70)]


def sample(x, y):
    if not rounded_rect(x, y, 2, 2, 126, 126, 24):
        return None  # transparent
    t = y / N
    c = tuple(round(a + (b - a) * t) for a, b in zip(RED_TOP, RED_BOTTOM))
    # page with a folded corner
    if 28 <= x <= 96 and 16 <= y <= 112 and (x - 76) <= (y - 16):
        c = WHITE
        if x >= 76 and y <= 36:
            c = FOLD
        for (ly, lx0, lx1) in LINES:
            if seg_dist(x, y, lx0, ly, lx1, ly) <= 3.0:
                c = INK
        # squiggly underline below the third line
        if 41 <= x <= 87 and abs(y - (75 + 2.6 * math.sin((x - 41) / 3.2))) <= 1.7:
            c = SQUIGGLE
    # check badge
    d = math.hypot(x - 94, y - 98)
    if d <= 22:
        c = GOLD_EDGE
    if d <= 18.5:
        c = GOLD
        if min(seg_dist(x, y, 85, 98, 91.5, 104.5), seg_dist(x, y, 91.5, 104.5, 103.5, 91)) <= 2.8:
            c = WHITE
    return c


def render():
    rows = []
    for py in range(N):
        row = bytearray([0])  # filter: none
        for px in range(N):
            r = g = b = a = 0
            for sy in range(SS):
                for sx in range(SS):
                    c = sample(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS)
                    if c:
                        r += c[0]; g += c[1]; b += c[2]; a += 1
            if a:
                row += bytes((round(r / a), round(g / a), round(b / a), round(255 * a / SS / SS)))
            else:
                row += b"\0\0\0\0"
        rows.append(bytes(row))
    return b"".join(rows)


def png(raw):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", N, N, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "images", "icon.png")
    with open(out, "wb") as f:
        f.write(png(render()))
    print(os.path.normpath(out))
