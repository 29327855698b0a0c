"""The smallest region that holds a set of places: where a multi-party agreement files its audit entries."""

from __future__ import annotations

from collections.abc import Iterable

from yigou.regions.models import Region

LEVEL_LENGTHS = (12, 9, 6, 4, 2)


def common_region(codes: Iterable[str]) -> Region:
    codes = sorted(set(codes))
    if not codes:
        raise ValueError("no region codes")
    for length in LEVEL_LENGTHS:
        heads = {code[:length] for code in codes}
        if len(heads) == 1:
            found = Region.objects.filter(pk=codes[0][:length].ljust(12, "0")).first()
            if found is not None:
                return found
    return Region.objects.get(pk=codes[0])
