"""Shared contract pieces: enums, the page envelope, validated scalar types."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Generic, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import pycountry
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

T = TypeVar("T")

MAX_PAGE = 200


class OrganisationKind(StrEnum):
    cluster = "cluster"
    company = "company"
    university = "university"
    research = "research"
    public_authority = "public_authority"
    investor = "investor"
    other = "other"


class EscaLabel(StrEnum):
    none = "none"
    bronze = "bronze"
    silver = "silver"
    gold = "gold"


class EventStatus(StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"


class Direction(StrEnum):
    offer = "offer"
    request = "request"


class OpportunityType(StrEnum):
    business_partnership = "business_partnership"
    technology = "technology"
    rd_cooperation = "rd_cooperation"
    investment = "investment"
    supply_subcontracting = "supply_subcontracting"
    distribution = "distribution"
    eu_project_partner = "eu_project_partner"
    other = "other"


def _country(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"'{value}' is not an ISO 3166-1 alpha-2 country code (e.g. RO, DE, IT)")
    return code


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"'{value}' is not an IANA time zone (e.g. Europe/Bucharest)") from exc
    if value not in available_timezones() and value != "UTC":
        raise ValueError(f"'{value}' is not an IANA time zone (e.g. Europe/Bucharest)")
    return value


def _slug(value: str) -> str:
    return value.strip().lower()


CountryCode = Annotated[
    str,
    StringConstraints(min_length=2, max_length=2),
    AfterValidator(_country),
    Field(description="ISO 3166-1 alpha-2 code", examples=["RO"]),
]
TimeZoneName = Annotated[
    str, AfterValidator(_timezone), Field(description="IANA time zone", examples=["Europe/Bucharest"])
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=10_000)]
Keyword = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
SectorSlug = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=2, max_length=64, pattern=r"^[A-Za-z0-9-]+$"),
    AfterValidator(_slug),
]
LanguageCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, min_length=2, max_length=3, pattern=r"^[A-Za-z]{2,3}$"),
]
Keywords = Annotated[list[Keyword], Field(max_length=50)]
Sectors = Annotated[list[SectorSlug], Field(max_length=20)]


class Page(BaseModel, Generic[T]):
    """The page envelope every list answers with."""

    items: list[T]
    total: int = Field(description="Number of items matching the filters, over all pages")
    limit: int
    offset: int


class Schema(BaseModel):
    model_config = ConfigDict(from_attributes=True)
