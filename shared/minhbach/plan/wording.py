"""The words people read about the plan's own government, derived from the plan: its level
(`meta.level`), its name (`meta.locality`), its issuer and the kinds of unit it has.

`plan.words` is the one place code gets them from; nothing else in code spells a level's noun.
The nouns below are the schema's vocabulary, one per level and unit kind, each a bare noun.

    plan.words.place                 "tỉnh Bắc Ninh", "xã Tân Kỳ"
    plan.words.inspected_portals     "tỉnh, các sở, ban, ngành và các xã, phường"; "xã"
    plan.words.asked_to_act          "các sở, ban, ngành, UBND các xã, phường"
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from minhbach.plan.models import Meta, Unit
from minhbach.plan.types import COMMUNE_LEVEL_KINDS, LOCAL_GOVERNMENT_KINDS

# The noun of each level, as written before a locality's name ("tỉnh Bắc Ninh").
LEVEL_NOUNS: Final = {
    "province": "tỉnh",
    "central_city": "thành phố",
    "commune": "xã",
    "ward": "phường",
    "special_zone": "đặc khu",
    "district": "huyện",
}
# The noun of each commune-level unit kind, in the order they are named ("các xã, phường").
COMMUNE_KIND_NOUNS: Final = {
    "commune": "xã",
    "ward": "phường",
    "special_zone": "đặc khu",
    "town": "thị trấn",
}
# How the units under the plan's government are named together, per level.
_AGENCIES: Final = {
    "province": "các sở, ban, ngành",
    "central_city": "các sở, ban, ngành",
    "commune": "các phòng, đơn vị",
    "ward": "các phòng, đơn vị",
    "special_zone": "các phòng, đơn vị",
    "district": "các cơ quan, đơn vị",
}
_GOVERNMENT: Final = "UBND"


@dataclass(frozen=True, slots=True)
class PlanWords:
    """Words about the plan's government, each derived from the plan file."""

    level_noun: str  # "huyện", "tỉnh", "xã"
    locality: str  # "Lục Nam"
    government: str  # the plan's issuer: "UBND tỉnh Bắc Ninh"
    agencies: str  # a province: "các sở, ban, ngành"; a commune: "các phòng, đơn vị"
    commune_nouns: tuple[str, ...]  # kinds of commune-level units under it: ("xã", "thị trấn")
    agencies_have_portals: bool  # some department or agency's portal is inspected too

    @property
    def place(self) -> str:
        """ "tỉnh Bắc Ninh"."""
        return f"{self.level_noun} {self.locality}"

    @property
    def communes(self) -> str:
        """ "các xã, phường" (empty: the plan has no commune-level units under it)."""
        return f"các {', '.join(self.commune_nouns)}" if self.commune_nouns else ""

    @property
    def leadership(self) -> str:
        """Who leads the plan's government: "lãnh đạo UBND tỉnh Bắc Ninh"."""
        return f"lãnh đạo {self.government}"

    @property
    def inspected_portals(self) -> str:
        """Whose portals an inspection round covers, after "Cổng thông tin điện tử của":
        "tỉnh, các sở, ban, ngành và các xã, phường"; "xã" (a commune's own plan)."""
        parts = [self.level_noun]
        if self.agencies_have_portals:
            parts.append(self.agencies)
        head = ", ".join(parts)
        return f"{head} và {self.communes}" if self.communes else head

    @property
    def asked_to_act(self) -> str:
        """Whom a notice asks to put things right: "các sở, ban, ngành, UBND các xã, phường"."""
        if not self.communes:
            return self.agencies
        return f"{self.agencies}, {_GOVERNMENT} {self.communes}"


def words_of(meta: Meta, units: Sequence[Unit], own_code: str | None) -> PlanWords:
    """The words of a plan with `meta` and `units`; `own_code`: its own government's unit."""
    level = meta.level
    under = [u for u in units if u.code != own_code]
    portal_kinds = {u.kind for u in under if u.portal is not None}
    return PlanWords(
        level_noun=LEVEL_NOUNS[level],
        locality=meta.locality,
        government=meta.issuer,
        agencies=_AGENCIES[level],
        commune_nouns=_commune_nouns(u.kind for u in under if u.kind in COMMUNE_LEVEL_KINDS),
        agencies_have_portals=bool(portal_kinds - set(LOCAL_GOVERNMENT_KINDS)),
    )


def _commune_nouns(kinds: Iterable[str]) -> tuple[str, ...]:
    present = set(kinds)
    return tuple(noun for kind, noun in COMMUNE_KIND_NOUNS.items() if kind in present)
