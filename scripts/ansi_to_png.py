#!/usr/bin/env python3
"""Render a terminal screen capture to a PNG, the way a terminal would draw it.

The input is what `tmux capture-pane -e -p -N` prints: one line of text per
screen row, with ANSI SGR escapes for colours and attributes (16 colours, the
256-colour palette, truecolour, bold, dim, italic, underline, reverse,
crossed-out, hidden and their resets). Attributes carry over from one line to
the next, as they do in the capture.

The screen is drawn on a fixed monospace grid with DejaVu Sans Mono. A glyph
the monospace face lacks is looked up in DejaVu Sans and then in any other
installed font that has it (fontconfig when present); a few symbols that no
installed font may have are drawn from shapes. Box-drawing and block
characters are drawn from shapes too, so borders join up and sparkline bars
fill their cells, as in a real terminal. East Asian wide characters and emoji
take two cells.

Usage:
    ansi_to_png.py INPUT.ansi OUTPUT.png --cols 160 --rows 48

INPUT may be `-` for standard input. Needs Pillow and fontTools.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, replace

from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont

DEJAVU_DIR = "/usr/share/fonts/truetype/dejavu"
MONO = {
    (False, False): "DejaVuSansMono.ttf",
    (True, False): "DejaVuSansMono-Bold.ttf",
    (False, True): "DejaVuSansMono-Oblique.ttf",
    (True, True): "DejaVuSansMono-BoldOblique.ttf",
}
SANS = {
    (False, False): "DejaVuSans.ttf",
    (True, False): "DejaVuSans-Bold.ttf",
    (False, True): "DejaVuSans-Oblique.ttf",
    (True, True): "DejaVuSans-BoldOblique.ttf",
}

DEFAULT_BG = (0x1E, 0x1E, 0x1E)
DEFAULT_FG = (0xCC, 0xCC, 0xCC)

# The first sixteen colours. "dark" is a common dark-theme terminal scheme
# (readable blues on a dark background); "xterm" is xterm's own.
BASE16 = {
    "dark": [
        (0x00, 0x00, 0x00), (0xCD, 0x31, 0x31), (0x0D, 0xBC, 0x79), (0xE5, 0xE5, 0x10),
        (0x24, 0x72, 0xC8), (0xBC, 0x3F, 0xBC), (0x11, 0xA8, 0xCD), (0xE5, 0xE5, 0xE5),
        (0x66, 0x66, 0x66), (0xF1, 0x4C, 0x4C), (0x23, 0xD1, 0x8B), (0xF5, 0xF5, 0x43),
        (0x3B, 0x8E, 0xEA), (0xD6, 0x70, 0xD6), (0x29, 0xB8, 0xDB), (0xFF, 0xFF, 0xFF),
    ],
    "xterm": [
        (0x00, 0x00, 0x00), (0xCD, 0x00, 0x00), (0x00, 0xCD, 0x00), (0xCD, 0xCD, 0x00),
        (0x00, 0x00, 0xEE), (0xCD, 0x00, 0xCD), (0x00, 0xCD, 0xCD), (0xE5, 0xE5, 0xE5),
        (0x7F, 0x7F, 0x7F), (0xFF, 0x00, 0x00), (0x00, 0xFF, 0x00), (0xFF, 0xFF, 0x00),
        (0x5C, 0x5C, 0xFF), (0xFF, 0x00, 0xFF), (0x00, 0xFF, 0xFF), (0xFF, 0xFF, 0xFF),
    ],
}


def xterm_palette(base16):
    """The 256-colour table: 16 base colours, the 6x6x6 cube, 24 greys."""
    table = list(base16)
    steps = [0, 0x5F, 0x87, 0xAF, 0xD7, 0xFF]
    for r in steps:
        for g in steps:
            for b in steps:
                table.append((r, g, b))
    for i in range(24):
        v = 8 + 10 * i
        table.append((v, v, v))
    return table


# --------------------------------------------------------------------------
# Parsing the capture into a grid of cells
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Style:
    fg: object = None  # None (default), int (palette index) or (r, g, b)
    bg: object = None
    bold: bool = False
    dim: bool = False
    italic: bool = False
    underline: bool = False
    reverse: bool = False
    strike: bool = False
    hidden: bool = False
    overline: bool = False


PLAIN = Style()


@dataclass
class Cell:
    text: str = " "
    style: Style = PLAIN
    width: int = 1  # 2 for the first half of a wide glyph, 0 for its second half


def char_width(ch: str) -> int:
    """Terminal cell width of one code point: 0, 1 or 2."""
    cp = ord(ch)
    if cp < 0x20 or 0x7F <= cp < 0xA0:
        return 0
    cat = unicodedata.category(ch)
    if cat in ("Mn", "Me") or (cat == "Cf" and cp != 0xAD):
        return 0
    if 0x1160 <= cp <= 0x11FF:  # Hangul medial vowels and final consonants
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 1


def _extended_colour(parts, i):
    """Read a 38/48/58 colour from split parameters starting after the 38.

    Returns (colour or None, index of the next unread parameter)."""
    if i >= len(parts):
        return None, i
    mode = parts[i]
    if mode == 5 and i + 1 < len(parts):
        n = parts[i + 1]
        return (n if 0 <= n <= 255 else None), i + 2
    if mode == 2 and i + 3 < len(parts):
        r, g, b = parts[i + 1:i + 4]
        return (r & 255, g & 255, b & 255), i + 4
    return None, len(parts)


def _colon_colour(sub):
    """A colour given with colons: 38:5:N, 38:2:R:G:B or 38:2:CS:R:G:B."""
    vals = [int(v) if v.isdigit() else 0 for v in sub[1:]]
    if not vals:
        return None
    if vals[0] == 5 and len(vals) >= 2:
        return vals[1] if 0 <= vals[1] <= 255 else None
    if vals[0] == 2:
        rgb = vals[-3:] if len(vals) >= 4 else None
        if rgb is not None:
            return tuple(v & 255 for v in rgb)
    return None


def apply_sgr(style: Style, params: str) -> Style:
    fields = params.split(";") if params else ["0"]
    # Parameters given with semicolons (38;5;N) consume the ones after them,
    # so walk them by index. Colon forms (38:5:N) stay in one field.
    nums = []
    for f in fields:
        if ":" in f:
            nums.append(f)
        else:
            nums.append(int(f) if f.isdigit() else 0)
    i = 0
    s = style
    while i < len(nums):
        p = nums[i]
        i += 1
        if isinstance(p, str):
            sub = p.split(":")
            head = int(sub[0]) if sub[0].isdigit() else 0
            if head in (38, 48):
                c = _colon_colour(sub)
                s = replace(s, fg=c) if head == 38 else replace(s, bg=c)
            elif head == 4:
                s = replace(s, underline=(sub[1] not in ("", "0")) if len(sub) > 1 else True)
            # 58:... is the underline colour; it is drawn in the text colour.
            continue
        if p == 0:
            s = PLAIN
        elif p == 1:
            s = replace(s, bold=True)
        elif p == 2:
            s = replace(s, dim=True)
        elif p == 3:
            s = replace(s, italic=True)
        elif p in (4, 21):
            s = replace(s, underline=True)
        elif p == 7:
            s = replace(s, reverse=True)
        elif p == 8:
            s = replace(s, hidden=True)
        elif p == 9:
            s = replace(s, strike=True)
        elif p == 22:
            s = replace(s, bold=False, dim=False)
        elif p == 23:
            s = replace(s, italic=False)
        elif p == 24:
            s = replace(s, underline=False)
        elif p == 27:
            s = replace(s, reverse=False)
        elif p == 28:
            s = replace(s, hidden=False)
        elif p == 29:
            s = replace(s, strike=False)
        elif 30 <= p <= 37:
            s = replace(s, fg=p - 30)
        elif p == 39:
            s = replace(s, fg=None)
        elif 40 <= p <= 47:
            s = replace(s, bg=p - 40)
        elif p == 49:
            s = replace(s, bg=None)
        elif p == 53:
            s = replace(s, overline=True)
        elif p == 55:
            s = replace(s, overline=False)
        elif 90 <= p <= 97:
            s = replace(s, fg=p - 90 + 8)
        elif 100 <= p <= 107:
            s = replace(s, bg=p - 100 + 8)
        elif p in (38, 48, 58):
            c, i = _extended_colour([n if isinstance(n, int) else -1 for n in nums], i)
            if p == 38:
                s = replace(s, fg=c)
            elif p == 48:
                s = replace(s, bg=c)
        # Blink, fonts, frames and the rest have no look of their own here.
    return s


ESCAPE = re.compile(
    r"\x1b\[([0-?]*)([ -/]*)([@-~])"          # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"    # OSC (titles, hyperlinks)
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"         # DCS, SOS, PM, APC
    r"|\x1b[ -/]*[0-~]"                       # other escapes
)


def parse_screen(text: str, cols: int, rows: int):
    """The capture as rows of cells. Attributes carry over between lines."""
    grid = [[Cell() for _ in range(cols)] for _ in range(rows)]
    style = PLAIN
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for y, line in enumerate(lines[:rows]):
        row = grid[y]
        x = 0

        def put(chunk):
            nonlocal x
            for ch in chunk:
                if ch == "\t":
                    x = min(cols, (x // 8 + 1) * 8)
                    continue
                if ch == "\r":
                    x = 0
                    continue
                w = char_width(ch)
                if w == 0:
                    # Combining marks and joiners belong to the glyph before them.
                    if ord(ch) >= 0xA0 and 0 < x <= cols:
                        prev = x - 1
                        if row[prev].width == 0 and prev > 0:
                            prev -= 1
                        row[prev].text += ch
                    continue
                if x + w <= cols:
                    row[x] = Cell(ch, style, w)
                    if w == 2:
                        row[x + 1] = Cell("", style, 0)
                x += w

        pos = 0
        for m in ESCAPE.finditer(line):
            put(line[pos:m.start()])
            pos = m.end()
            if m.group(3) == "m" and not m.group(2) and re.fullmatch(r"[0-9;:]*", m.group(1) or ""):
                style = apply_sgr(style, m.group(1))
        put(line[pos:])
    return grid


# --------------------------------------------------------------------------
# Fonts and glyph lookup
# --------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def font_cmap(path: str, index: int = 0):
    try:
        font = TTFont(path, fontNumber=index, lazy=True)
        cmap = font.getBestCmap() or {}
        font.close()
        return frozenset(cmap)
    except Exception:
        return frozenset()


@functools.lru_cache(maxsize=None)
def installed_fonts_with(cp: int):
    """Font files that fontconfig says cover a code point (best first)."""
    if not shutil.which("fc-list"):
        return ()
    try:
        out = subprocess.run(
            ["fc-list", "--format", "%{file}\n", f":charset={cp:x}"],
            capture_output=True, text=True, timeout=10, check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    files = sorted({f for f in out.splitlines() if f.strip()})

    def rank(path):
        name = os.path.basename(path).lower()
        # Monospace faces first, then regular text faces, then emoji.
        return ("mono" not in name, "emoji" in name, "bold" in name or "oblique" in name
                or "italic" in name, name)

    return tuple(sorted(files, key=rank))


class Glyphs:
    """Finds a font for every character and draws it into a cell."""

    def __init__(self, size: int, mono_paths: dict, sans_paths: dict):
        self.size = size
        self.mono_paths = mono_paths
        self.sans_paths = sans_paths
        regular = ImageFont.truetype(mono_paths[(False, False)], size)
        self.cell_w = max(1, round(regular.getlength("M")))
        ascent, descent = regular.getmetrics()
        self.cell_h = ascent + descent
        self.baseline = ascent
        self._fonts = {}

    def font(self, path: str, size: int):
        key = (path, size)
        if key not in self._fonts:
            try:
                self._fonts[key] = ImageFont.truetype(path, size)
            except OSError:
                # Colour emoji fonts carry bitmaps of one size only.
                try:
                    self._fonts[key] = ImageFont.truetype(path, 109)
                except OSError:
                    self._fonts[key] = None
        return self._fonts[key]

    @functools.lru_cache(maxsize=None)
    def lookup(self, ch: str, bold: bool, italic: bool):
        """(kind, path) for a character: kind is "mono", "fallback" or "none"."""
        cp = ord(ch)
        for path in (self.mono_paths.get((bold, italic)), self.mono_paths[(bold, False)],
                     self.mono_paths[(False, False)]):
            if path and cp in font_cmap(path):
                return "mono", path
        for path in (self.sans_paths.get((bold, italic)), self.sans_paths.get((bold, False)),
                     self.sans_paths.get((False, False))):
            if path and cp in font_cmap(path):
                return "fallback", path
        for path in installed_fonts_with(cp):
            if path.lower().endswith((".ttf", ".otf", ".ttc")) and cp in font_cmap(path):
                return "fallback", path
        return "none", None

    def draw(self, img: Image.Image, x: int, y: int, text: str, ncells: int, fg, style: Style):
        ch = text[0]
        draw = ImageDraw.Draw(img)
        if shape_exists(ch):
            mask = shape_mask(ch, self.cell_w, self.cell_h)
            img.paste(Image.new("RGB", mask.size, fg), (x, y), mask)
            return
        kind, path = self.lookup(ch, style.bold, style.italic)
        if kind == "mono":
            font = self.font(path, self.size)
            draw.text((x, y + self.baseline), text, font=font, fill=fg, anchor="ls")
            return
        if kind == "fallback":
            self._draw_fallback(img, x, y, text, ncells, fg, path)
            return
        if drawn_symbol(img, x, y, ch, ncells, self.cell_w, self.cell_h, fg):
            return
        # Nothing can draw it: an empty box, as terminals show a missing glyph.
        w = ncells * self.cell_w
        draw.rectangle((x + 1, y + 2, x + w - 2, y + self.cell_h - 3), outline=fg)

    def _draw_fallback(self, img, x, y, text, ncells, fg, path):
        avail_w = ncells * self.cell_w
        font = self.font(path, self.size)
        if font is None:
            return
        if getattr(font, "size", self.size) != self.size:
            self._draw_bitmap(img, x, y, text, avail_w, font)
            return
        width = font.getlength(text)
        size = self.size
        if width > avail_w:
            # A proportional glyph wider than its cells is scaled to fit them.
            size = max(6, int(self.size * avail_w / width))
            font = self.font(path, size)
            width = font.getlength(text)
        gx = x + (avail_w - width) / 2
        draw = ImageDraw.Draw(img)
        draw.text((gx, y + self.baseline), text, font=font, fill=fg, anchor="ls")

    def _draw_bitmap(self, img, x, y, text, avail_w, font):
        tile = Image.new("RGBA", (160, 160), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((10, 130), text, font=font, anchor="ls", embedded_color=True)
        box = tile.getbbox()
        if not box:
            return
        tile = tile.crop(box)
        scale = min(avail_w / tile.width, (self.cell_h - 2) / tile.height)
        tile = tile.resize((max(1, round(tile.width * scale)), max(1, round(tile.height * scale))),
                           Image.LANCZOS)
        px = x + (avail_w - tile.width) // 2
        py = y + (self.cell_h - tile.height) // 2
        img.paste(tile, (px, py), tile)


# --------------------------------------------------------------------------
# Box drawing and block elements, drawn from shapes
# --------------------------------------------------------------------------

SS = 4  # supersampling factor for shapes
LIGHT, HEAVY, DOUBLE = 1, 2, 3
WEIGHTS = {"LIGHT": LIGHT, "HEAVY": HEAVY, "DOUBLE": DOUBLE, "SINGLE": LIGHT}
DIRS = {"UP": ("u",), "DOWN": ("d",), "LEFT": ("l",), "RIGHT": ("r",),
        "VERTICAL": ("u", "d"), "HORIZONTAL": ("l", "r")}


@functools.lru_cache(maxsize=None)
def box_spec(ch: str):
    """What a box-drawing character is made of, read from its Unicode name.

    Returns ("lines", {dir: weight}), ("dash", (dir, weight, n)),
    ("arc", (weight, corner dirs)) or None for ones left to the font."""
    if not 0x2500 <= ord(ch) <= 0x257F:
        return None
    name = unicodedata.name(ch, "")
    if not name.startswith("BOX DRAWINGS "):
        return None
    words = name[len("BOX DRAWINGS "):].split()
    if "DIAGONAL" in words:
        return None
    if "DASH" in words:
        n = {"DOUBLE": 2, "TRIPLE": 3, "QUADRUPLE": 4}.get(words[words.index("DASH") - 1], 2)
        weight = HEAVY if "HEAVY" in words else LIGHT
        return "dash", ("h" if "HORIZONTAL" in words else "v", weight, n)
    if "ARC" in words:
        dirs = tuple(d for w in words for d in DIRS.get(w, ()))
        return "arc", (LIGHT, dirs)
    segments, cur = [], []
    for w in words:
        if w == "AND":
            segments.append(cur)
            cur = []
        else:
            cur.append(w)
    segments.append(cur)
    parsed = []
    for seg in segments:
        weight = next((WEIGHTS[w] for w in seg if w in WEIGHTS), None)
        dirs = [d for w in seg for d in DIRS.get(w, ())]
        parsed.append([weight, dirs])
    # A segment without its own weight takes its neighbour's: "LIGHT DOWN AND RIGHT".
    for i, seg in enumerate(parsed):
        if seg[0] is None:
            before = [p[0] for p in parsed[:i] if p[0] is not None]
            after = [p[0] for p in parsed[i + 1:] if p[0] is not None]
            seg[0] = before[-1] if before else (after[0] if after else LIGHT)
    arms = {}
    for weight, dirs in parsed:
        for d in dirs:
            arms[d] = weight
    return ("lines", arms) if arms else None


def shape_exists(ch: str) -> bool:
    return box_spec(ch) is not None or 0x2580 <= ord(ch) <= 0x259F


@functools.lru_cache(maxsize=None)
def shape_mask(ch: str, cw: int, chh: int) -> Image.Image:
    """An anti-aliased coverage mask (L mode, cell sized) for a shape character."""
    W, H = cw * SS, chh * SS
    mask = Image.new("L", (W, H), 0)
    d = ImageDraw.Draw(mask)
    cp = ord(ch)
    if 0x2580 <= cp <= 0x259F:
        _block(d, cp, cw, chh)
        return mask.resize((cw, chh), Image.BOX)

    light = max(1, round(cw / 9))
    heavy = max(light + 1, round(cw / 4.5))
    # Centre lines sit on whole pixels so straight strokes stay crisp.
    cx = (cw - light) // 2
    cy = (chh - light) // 2

    def hbar(x0, x1, yc, t):  # yc: top pixel row, t: thickness (output pixels)
        if round(x1 * SS) - round(x0 * SS) < 1:
            return
        d.rectangle((round(x0 * SS), yc * SS, round(x1 * SS) - 1, (yc + t) * SS - 1), fill=255)

    def vbar(y0, y1, xc, t):
        if round(y1 * SS) - round(y0 * SS) < 1:
            return
        d.rectangle((xc * SS, round(y0 * SS), (xc + t) * SS - 1, round(y1 * SS) - 1), fill=255)

    kind, spec = box_spec(ch)
    if kind == "dash":
        orient, weight, n = spec
        t = heavy if weight == HEAVY else light
        off = (t - light) // 2
        if orient == "h":
            seg = cw / n
            for i in range(n):
                hbar(i * seg + seg * 0.15, (i + 1) * seg - seg * 0.15, cy - off, t)
        else:
            seg = chh / n
            for i in range(n):
                vbar(i * seg + seg * 0.15, (i + 1) * seg - seg * 0.15, cx - off, t)
        return mask.resize((cw, chh), Image.BOX)

    if kind == "arc":
        _, dirs = spec
        t = light
        # The arc's radius reaches from the centre to the nearer cell edge.
        r = min(cx + t / 2, cw - cx - t / 2, cy + t / 2, chh - cy - t / 2)
        mx, my = cx + t / 2, cy + t / 2  # centre of the stroke
        sx = 1 if "r" in dirs else -1
        sy = 1 if "d" in dirs else -1
        ox, oy = mx + sx * r, my + sy * r  # centre of the circle
        # Straight runs from the arc's ends to the edges.
        if sy > 0:
            vbar(oy, chh, cx, t)
        else:
            vbar(0, oy, cx, t)
        if sx > 0:
            hbar(ox, cw, cy, t)
        else:
            hbar(0, ox, cy, t)
        start = {(1, 1): 180, (-1, 1): 270, (-1, -1): 0, (1, -1): 90}[(sx, sy)]
        # Pillow's boxes include their last pixel, hence the - 1.
        bbox = (round((ox - r - t / 2) * SS), round((oy - r - t / 2) * SS),
                round((ox + r + t / 2) * SS) - 1, round((oy + r + t / 2) * SS) - 1)
        d.arc(bbox, start, start + 90, fill=255, width=t * SS)
        return mask.resize((cw, chh), Image.BOX)

    arms = spec
    gap = max(light + 1, round(cw / 5))  # distance between the strokes of a double line
    mid_x, mid_y = cx + light / 2, cy + light / 2

    def has(dname):
        return dname in arms

    for dname, weight in arms.items():
        horizontal = dname in ("l", "r")
        sign = 1 if dname in ("r", "d") else -1
        edge = (cw if sign > 0 else 0) if horizontal else (chh if sign > 0 else 0)
        centre = mid_x if horizontal else mid_y
        perp = ("u", "d") if horizontal else ("l", "r")
        if weight == DOUBLE:
            perp_double = any(arms.get(k) == DOUBLE for k in perp)
            for side, offset in ((perp[0], -gap), (perp[1], gap)):
                pos = (cy if horizontal else cx) + offset
                if perp_double and has(side):
                    stop = centre + sign * gap  # short of the crossing double line
                elif perp_double:
                    stop = centre - sign * gap  # round the outside of the corner
                else:
                    stop = centre  # straight on, or meeting a single line
                # Reach half a stroke further so corners close.
                if sign > 0:
                    lo, hi = stop - light / 2, edge
                else:
                    lo, hi = 0, stop + light / 2
                if horizontal:
                    hbar(lo, hi, pos, light)
                else:
                    vbar(lo, hi, pos, light)
            continue
        t = heavy if weight == HEAVY else light
        base = cy if horizontal else cx  # top/left pixel of a light stroke across this arm
        across = cx if horizontal else cy  # the same for the strokes crossing it
        opposite = {"l": "r", "r": "l", "u": "d", "d": "u"}[dname]
        # Run past the centre just far enough to cover the crossing strokes.
        spans = []
        for k in perp:
            if k not in arms:
                continue
            if arms[k] == DOUBLE:
                if has(opposite) or not all(has(p) for p in perp):
                    # Across both strokes, or up to the far one at a corner.
                    spans.append((across - gap, across + gap + light))
                elif sign > 0:
                    spans.append((across + gap, across + gap + light))
                else:
                    spans.append((across - gap, across - gap + light))
            else:
                pt = heavy if arms[k] == HEAVY else light
                s0 = across - (pt - light) // 2
                spans.append((s0, s0 + pt))
        if not spans:
            spans.append((across, across + light))
        near, far = min(a for a, _ in spans), max(b for _, b in spans)
        lo, hi = (near, edge) if sign > 0 else (0, far)
        start = base - (t - light) // 2
        if horizontal:
            hbar(lo, hi, start, t)
        else:
            vbar(lo, hi, start, t)
    return mask.resize((cw, chh), Image.BOX)


def _block(d: ImageDraw.ImageDraw, cp: int, cw: int, chh: int):
    W, H = cw * SS, chh * SS

    def rect(x0, y0, x1, y1, fill=255):
        d.rectangle((round(x0 * W), round(y0 * H), round(x1 * W) - 1, round(y1 * H) - 1), fill=fill)

    if cp == 0x2580:
        rect(0, 0, 1, 0.5)
    elif 0x2581 <= cp <= 0x2588:
        rect(0, 1 - (cp - 0x2580) / 8, 1, 1)
    elif 0x2589 <= cp <= 0x258F:
        rect(0, 0, (0x2590 - cp) / 8, 1)
    elif cp == 0x2590:
        rect(0.5, 0, 1, 1)
    elif 0x2591 <= cp <= 0x2593:
        rect(0, 0, 1, 1, fill=(cp - 0x2590) * 64)
    elif cp == 0x2594:
        rect(0, 0, 1, 1 / 8)
    elif cp == 0x2595:
        rect(7 / 8, 0, 1, 1)
    else:
        # Quadrants: upper-left, upper-right, lower-left, lower-right.
        quads = {
            0x2596: "3", 0x2597: "4", 0x2598: "1", 0x2599: "134", 0x259A: "14",
            0x259B: "123", 0x259C: "124", 0x259D: "2", 0x259E: "23", 0x259F: "234",
        }[cp]
        boxes = {"1": (0, 0, 0.5, 0.5), "2": (0.5, 0, 1, 0.5), "3": (0, 0.5, 0.5, 1), "4": (0.5, 0.5, 1, 1)}
        for q in quads:
            rect(*boxes[q])


def drawn_symbol(img, x, y, ch, ncells, cw, chh, fg) -> bool:
    """Symbols that installed fonts often lack, drawn from shapes."""
    cp = ord(ch)
    w = ncells * cw
    if cp not in (0x23F8, 0x23F9, 0x23FA, 0x1F512, 0x1F513):
        return False
    tile = Image.new("RGBA", (w * SS, chh * SS), (0, 0, 0, 0))
    d = ImageDraw.Draw(tile)
    W, H = w * SS, chh * SS
    side = min(W, H) * 0.62
    x0, y0 = (W - side) / 2, (H - side) / 2 + H * 0.04
    colour = fg + (255,)
    if cp == 0x23F8:  # pause: two bars
        bar = side * 0.3
        d.rectangle((x0 + side * 0.08, y0, x0 + side * 0.08 + bar, y0 + side), fill=colour)
        d.rectangle((x0 + side * 0.92 - bar, y0, x0 + side * 0.92, y0 + side), fill=colour)
    elif cp == 0x23F9:  # stop: a square
        d.rectangle((x0, y0, x0 + side, y0 + side), fill=colour)
    elif cp == 0x23FA:  # record: a disc
        d.ellipse((x0, y0, x0 + side, y0 + side), fill=colour)
    else:  # padlock, in the colours emoji fonts give it
        body_w = min(W * 0.62, H * 0.55)
        body_h = H * 0.38
        bx0 = (W - body_w) / 2
        by0 = H * 0.46
        shackle = (0xA0, 0xA4, 0xAA, 255)
        gold = (0xF2, 0xB5, 0x2A, 255)
        sw = max(SS, body_w * 0.16)
        inset = body_w * 0.16
        top = H * 0.14
        open_shift = body_w * 0.45 if cp == 0x1F513 else 0
        d.arc((bx0 + inset + open_shift, top, bx0 + body_w - inset + open_shift,
               top + (body_w - 2 * inset)), 180, 360, fill=shackle, width=round(sw))
        legs_y0 = top + (body_w - 2 * inset) / 2
        d.rectangle((bx0 + inset + open_shift, legs_y0, bx0 + inset + sw + open_shift, by0 + SS),
                    fill=shackle)
        if cp == 0x1F512:
            d.rectangle((bx0 + body_w - inset - sw, legs_y0, bx0 + body_w - inset, by0 + SS),
                        fill=shackle)
        d.rounded_rectangle((bx0, by0, bx0 + body_w, by0 + body_h), radius=body_w * 0.12, fill=gold)
        kx = W / 2
        d.ellipse((kx - sw * 0.6, by0 + body_h * 0.3, kx + sw * 0.6, by0 + body_h * 0.3 + sw * 1.2),
                  fill=(0x6B, 0x4A, 0x0A, 255))
    tile = tile.resize((w, chh), Image.LANCZOS)
    img.paste(tile, (x, y), tile)
    return True


# --------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------

def parse_hex(value: str):
    v = value.lstrip("#")
    if not re.fullmatch(r"[0-9a-fA-F]{6}", v):
        raise argparse.ArgumentTypeError(f"not a #rrggbb colour: {value}")
    return tuple(int(v[i:i + 2], 16) for i in (0, 2, 4))


def blend(a, b, t):
    return tuple(round(x * (1 - t) + y * t) for x, y in zip(a, b))


def render(grid, glyphs: Glyphs, palette, default_fg, default_bg, padding: int, bold_is_bright: bool):
    rows, cols = len(grid), len(grid[0]) if grid else 0
    cw, chh = glyphs.cell_w, glyphs.cell_h
    img = Image.new("RGB", (cols * cw + 2 * padding, rows * chh + 2 * padding), default_bg)
    draw = ImageDraw.Draw(img)

    def colour(c, default):
        if c is None:
            return default
        if isinstance(c, int):
            return palette[c]
        return c

    def resolve(style: Style):
        fg_index = style.fg
        if bold_is_bright and style.bold and isinstance(fg_index, int) and fg_index < 8:
            fg_index += 8
        fg = colour(fg_index, default_fg)
        bg = colour(style.bg, default_bg)
        if style.reverse:
            fg, bg = bg, fg
        if style.dim:
            fg = blend(fg, bg, 0.45)
        if style.hidden:
            fg = bg
        return fg, bg

    # Backgrounds first, so glyphs that lean out of their cell stay visible.
    for y, row in enumerate(grid):
        for x, cell in enumerate(row):
            _, bg = resolve(cell.style)
            if bg != default_bg:
                px, py = padding + x * cw, padding + y * chh
                draw.rectangle((px, py, px + cw - 1, py + chh - 1), fill=bg)

    for y, row in enumerate(grid):
        for x, cell in enumerate(row):
            if cell.width == 0:
                continue
            fg, _ = resolve(cell.style)
            px, py = padding + x * cw, padding + y * chh
            ncells = max(1, cell.width)
            if cell.text.strip() and not cell.style.hidden:
                glyphs.draw(img, px, py, cell.text, ncells, fg, cell.style)
            line_w = max(1, round(cw / 10))
            if cell.style.underline:
                uy = py + glyphs.baseline + max(1, chh // 10)
                draw.rectangle((px, uy, px + ncells * cw - 1, uy + line_w - 1), fill=fg)
            if cell.style.strike:
                sy = py + glyphs.baseline - round(chh * 0.28)
                draw.rectangle((px, sy, px + ncells * cw - 1, sy + line_w - 1), fill=fg)
            if cell.style.overline:
                draw.rectangle((px, py, px + ncells * cw - 1, py + line_w - 1), fill=fg)
    return img


def main(argv=None):
    ap = argparse.ArgumentParser(description="Render a `tmux capture-pane -e -p -N` capture to a PNG.")
    ap.add_argument("input", help="capture file, or - for standard input")
    ap.add_argument("output", help="PNG to write")
    ap.add_argument("--cols", type=int, default=160)
    ap.add_argument("--rows", type=int, default=48)
    ap.add_argument("--font-size", type=int, default=16, help="font size in pixels (default 16)")
    ap.add_argument("--padding", type=int, default=12, help="margin around the screen in pixels")
    ap.add_argument("--palette", choices=sorted(BASE16), default="dark",
                    help="the first 16 colours (default: dark)")
    ap.add_argument("--fg", type=parse_hex, default=DEFAULT_FG, help="default foreground, #rrggbb")
    ap.add_argument("--bg", type=parse_hex, default=DEFAULT_BG, help="default background, #rrggbb")
    ap.add_argument("--bold-is-bright", action="store_true",
                    help="show bold text in the first 8 colours in their bright variants")
    ap.add_argument("--font-dir", default=DEJAVU_DIR, help="directory holding the DejaVu fonts")
    args = ap.parse_args(argv)

    mono = {k: os.path.join(args.font_dir, v) for k, v in MONO.items()}
    sans = {k: os.path.join(args.font_dir, v) for k, v in SANS.items()}
    if not os.path.exists(mono[(False, False)]):
        sys.exit(f"ansi_to_png: {mono[(False, False)]} not found (install fonts-dejavu-core)")
    mono = {k: (p if os.path.exists(p) else None) for k, p in mono.items()}
    sans = {k: (p if os.path.exists(p) else None) for k, p in sans.items()}
    for key in ((True, False), (False, True), (True, True)):
        if mono[key] is None:
            mono[key] = mono[(key[0], False)] or mono[(False, False)]

    if args.input == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(args.input, "rb") as f:
            data = f.read()
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n")

    grid = parse_screen(text, args.cols, args.rows)
    glyphs = Glyphs(args.font_size, mono, sans)
    palette = xterm_palette(BASE16[args.palette])
    img = render(grid, glyphs, palette, args.fg, args.bg, args.padding, args.bold_is_bright)
    img.save(args.output, optimize=True)


if __name__ == "__main__":
    main()
