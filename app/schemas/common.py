"""Shared contract pieces: enums, the page envelope, validated scalar types."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Generic, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import pycountry
from pydantic import (
    AfterValidator,
    AnyHttpUrl,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
    UrlConstraints,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema
from typing_extensions import TypeAliasType

T = TypeVar("T")

MAX_PAGE = 200
MAX_ID = 2_147_483_647  # ids are 32-bit integers in PostgreSQL
# Request bodies of every route but the import are refused above this size (413); the import's
# limit is the setting MATCHMAKER_MAX_IMPORT_BYTES (50 MB by default).
MAX_BODY_BYTES = 1024 * 1024
MAX_EMAIL = 254  # RFC 5321: the longest address a mail server accepts
MAX_URL = 500
MAX_TIME_TEXT = 64  # an ISO 8601 time with offset needs 35 characters at most
# Query-string text may not hold NUL either (PostgreSQL text cannot; bodies are checked by ``Input``).
NO_NUL = r"^[^\x00]*$"


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


# Small closed sets kept as Literal types (the code compares plain strings), named so the spec shows
# them as components, as the StrEnums above are: generated clients get one type, not copies.
Actor = TypeAliasType("Actor", Literal["organiser", "participant"])
DeliveryChannel = TypeAliasType("DeliveryChannel", Literal["webhook", "email"])
DeliveryStatus = TypeAliasType("DeliveryStatus", Literal["pending", "delivered", "failed", "coalesced", "skipped"])
FinishedJobStatus = TypeAliasType("FinishedJobStatus", Literal["succeeded", "failed"])
SuggestionsSource = TypeAliasType("SuggestionsSource", Literal["run", "refresh"])
TokenPolicy = TypeAliasType("TokenPolicy", Literal["keep", "drop"])
ParticipantExportFormat = TypeAliasType("ParticipantExportFormat", Literal["csv", "json"])

# --- sorting: one convention for every list ------------------------------------------------
# `?sort=name&sort=-created_at`: repeatable, applied in order, `-` for descending; each list names the
# fields it sorts by in its own enum. Without `sort` a list keeps its documented default order.


class OrganisationSort(StrEnum):
    NAME = "name"
    NAME_DESC = "-name"
    COUNTRY = "country"
    COUNTRY_DESC = "-country"
    CREATED_AT = "created_at"
    CREATED_AT_DESC = "-created_at"


class EventSort(StrEnum):
    STARTS_AT = "starts_at"
    STARTS_AT_DESC = "-starts_at"
    NAME = "name"
    NAME_DESC = "-name"
    CREATED_AT = "created_at"
    CREATED_AT_DESC = "-created_at"


class ParticipantSort(StrEnum):
    NAME = "name"
    NAME_DESC = "-name"
    ORGANISATION = "organisation"
    ORGANISATION_DESC = "-organisation"
    CREATED_AT = "created_at"
    CREATED_AT_DESC = "-created_at"


class OpportunitySort(StrEnum):
    PARTICIPANT = "participant"
    PARTICIPANT_DESC = "-participant"
    TITLE = "title"
    TITLE_DESC = "-title"
    CREATED_AT = "created_at"
    CREATED_AT_DESC = "-created_at"


class SuggestionSort(StrEnum):
    RANK = "rank"
    RANK_DESC = "-rank"
    SCORE = "score"
    SCORE_DESC = "-score"
    SCORE_FOR_ME = "score_for_me"
    SCORE_FOR_ME_DESC = "-score_for_me"
    SCORE_FOR_THEM = "score_for_them"
    SCORE_FOR_THEM_DESC = "-score_for_them"


class MeetingRequestSort(StrEnum):
    CREATED_AT = "created_at"
    CREATED_AT_DESC = "-created_at"
    STATUS = "status"
    STATUS_DESC = "-status"


class MeetingSort(StrEnum):
    STARTS_AT = "starts_at"
    STARTS_AT_DESC = "-starts_at"
    STATUS = "status"
    STATUS_DESC = "-status"
    CREATED_AT = "created_at"
    CREATED_AT_DESC = "-created_at"


class DeliverySort(StrEnum):
    CREATED_AT = "created_at"
    CREATED_AT_DESC = "-created_at"
    STATUS = "status"
    STATUS_DESC = "-status"


# Kosovo's code is user-assigned in ISO 3166-1 but used by the EU, and its clusters take part.
EXTRA_COUNTRIES = frozenset({"XK"})


def _country(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or (code not in EXTRA_COUNTRIES and pycountry.countries.get(alpha_2=code) is None):
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
    str,
    StringConstraints(max_length=64),
    AfterValidator(_timezone),
    Field(description="IANA time zone", examples=["Europe/Bucharest"]),
]
# Control characters (line breaks, tabs, escapes) and bidi overrides have no place in a name or a
# title: they break CSV and calendar consumers and can disguise text in a UI.
_NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _one_line(value: str) -> str:
    if _NOT_ONE_LINE.search(value):
        raise ValueError("must be one line of text: no line breaks, tabs or other control characters")
    return value


OneLine = AfterValidator(_one_line)
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), OneLine]
PersonName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), OneLine]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), OneLine]
ExternalId = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), OneLine]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _fold_fits(value: str) -> str:
    from app.services.common import fold

    if len(fold(value)) > 300:
        raise ValueError("the name is too long (at most 300 characters once accents are folded)")
    return value


def _url_fits(value: AnyHttpUrl) -> AnyHttpUrl:
    # the normalised URL can be longer than the text given (an added slash, escapes)
    if len(str(value)) > MAX_URL:
        raise ValueError(f"the URL is too long (at most {MAX_URL} characters)")
    return value


def _short_time_text(value: Any) -> Any:
    # The datetime parser accepts any number of fraction digits; refuse absurd text before parsing.
    if isinstance(value, str) and len(value) > MAX_TIME_TEXT:
        raise ValueError(f"a time is at most {MAX_TIME_TEXT} characters (ISO 8601 with an offset)")
    return value


def _sane_time(value: datetime) -> datetime:
    if not 1970 <= value.year <= 2200:
        raise ValueError("the time must lie between the years 1970 and 2200")
    return value


OrganisationName = Annotated[Name, AfterValidator(_fold_fits)]
Url = Annotated[AnyHttpUrl, UrlConstraints(max_length=MAX_URL), AfterValidator(_url_fits)]
Time = Annotated[
    AwareDatetime,
    BeforeValidator(_short_time_text),
    AfterValidator(_sane_time),
    Field(description="ISO 8601 with an offset", json_schema_extra={"maxLength": MAX_TIME_TEXT}),
]
Email = Annotated[EmailStr, Field(max_length=MAX_EMAIL)]


def _no_nul(value: Any, path: str = "") -> None:
    """PostgreSQL text cannot hold NUL; refuse it anywhere in the input."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError(f"text{' at ' + path if path else ''} may not contain NUL (\\0) characters")
    elif isinstance(value, dict):
        for k, v in value.items():
            _no_nul(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _no_nul(v, f"{path}.{i}" if path else str(i))


class Input(BaseModel):
    """Base of request bodies: refuses NUL characters anywhere."""

    @model_validator(mode="before")
    @classmethod
    def _refuse_nul(cls, data: Any) -> Any:
        _no_nul(data)
        return data


ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), OneLine]
LongText = Annotated[str, StringConstraints(max_length=10_000)]
Keyword = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), OneLine]
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

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        """A page of the item's first example, when the item has examples."""
        json_schema = handler.resolve_ref_schema(handler(core_schema))
        args = cls.__pydantic_generic_metadata__["args"]
        item: Any = args[0] if args else None
        if not (isinstance(item, type) and issubclass(item, BaseModel)):
            return json_schema
        extra = item.model_config.get("json_schema_extra")
        examples = extra.get("examples") if isinstance(extra, dict) else None
        if isinstance(examples, list) and examples:
            json_schema["examples"] = [{"items": [examples[0]], "total": 1, "limit": 50, "offset": 0}]
        return json_schema


class Schema(BaseModel):
    model_config = ConfigDict(from_attributes=True)
