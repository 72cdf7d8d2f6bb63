"""Colour arithmetic for Trust branding: WCAG contrast and the shades the theme needs."""

from __future__ import annotations

MIN_CONTRAST = 4.5  # WCAG 2.2 AA for normal text


def _channels(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _hex(channels: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0, min(255, c))):02X}" for c in channels)


def relative_luminance(hex_colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def mix(hex_colour: str, other: str, weight: float) -> str:
    """`weight` of `other` mixed into `hex_colour` (0 keeps the colour, 1 gives `other`)."""
    return _hex(tuple(a + (b - a) * weight
                      for a, b in zip(_channels(hex_colour), _channels(other))))


def brand_shades(primary: str) -> dict[str, str]:
    """The theme's colour variables derived from one brand colour.

    The dark shade is used for hover and accent, so it keeps at least the primary's contrast
    on white; the light tint is a background only, never behind text of the brand colour.
    """
    return {
        "primary": primary.upper(),
        "dark": mix(primary, "#000000", 0.25),
        "light": mix(primary, "#FFFFFF", 0.2),
        "tint": mix(primary, "#FFFFFF", 0.9),
    }
