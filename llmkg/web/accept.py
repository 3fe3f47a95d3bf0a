"""An HTTP Accept header read as the media ranges it asks for, best first:
the one reading that the endpoint's and the pages' content negotiation share."""
from __future__ import annotations


def media_ranges(accept: str | None) -> list[str]:
    """The media ranges of ``accept``, lower-cased, by quality (highest first), ties in the
    order given; a range with q=0 (or an unreadable q) is left out: it means "not this"."""
    ranges = []
    for i, part in enumerate((accept or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranges.append((-q, i, media))
    return [media for _, _, media in sorted(ranges)]
