"""The First Notice of Loss as an intake system sends it.

The field set follows what FNOL forms (e.g. ACORD automobile and property loss notices)
carry, and covers every column the models learn from in ../shared/data: the mapping of
each data set's columns onto these fields lives in models/mapping.py.
"""

from __future__ import annotations

import json
import weakref
from datetime import date
from enum import StrEnum
from importlib.resources import files
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

Money = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. EUR, USD, INR.")]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code, e.g. FR, US, IN.")]
# The currency of a policy that names none: the policies without one are all in EUR.
DEFAULT_CURRENCY = "EUR"


class Frozen(BaseModel):
    """Base of every event model: immutable, and unknown fields are refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def cached_json(self) -> str:
        """model_dump_json, made once: an event never changes, and a case's sections pass through several stages."""
        known = _JSON.get(id(self))
        if known is not None and known[0]() is self:
            return known[1]
        text = self.model_dump_json()
        self.keep_json(text)
        return text

    def keep_json(self, text: str) -> None:
        """Take `text` as this event's JSON: the text it was validated from, as a writer's model_dump_json made it."""
        key = id(self)
        _JSON[key] = (weakref.ref(self, lambda _gone: _JSON.pop(key, None)), text)


# Each event's JSON while the event lives, by identity: kept outside the model so that equality, copies and pickles
# of events are what they were.
_JSON: dict[int, tuple[weakref.ref[Frozen], str]] = {}


class LineOfBusiness(StrEnum):
    MOTOR = "motor"
    PROPERTY = "property"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"


class MaritalStatus(StrEnum):
    SINGLE = "single"
    MARRIED = "married"
    DIVORCED = "divorced"
    WIDOWED = "widowed"
    UNKNOWN = "unknown"


class Fault(StrEnum):
    POLICY_HOLDER = "policy_holder"
    THIRD_PARTY = "third_party"
    UNKNOWN = "unknown"


class AreaType(StrEnum):
    URBAN = "urban"
    RURAL = "rural"


class Coverage(StrEnum):
    """Base policy: what the contract pays for."""

    LIABILITY = "liability"
    COLLISION = "collision"
    ALL_PERILS = "all_perils"


class VehicleCategory(StrEnum):
    SEDAN = "sedan"
    SPORT = "sport"
    UTILITY = "utility"


class Address(Frozen):
    street: str | None = Field(default=None, max_length=200)
    city: str = Field(min_length=1, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    postcode: str | None = Field(default=None, max_length=20)
    country: Country = "US"


class Person(Frozen):
    name: str = Field(min_length=1, max_length=200)
    date_of_birth: date | None = None
    sex: Sex = Sex.UNKNOWN
    marital_status: MaritalStatus = MaritalStatus.UNKNOWN
    email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")
    phone: str | None = Field(default=None, max_length=40)
    address: Address | None = None
    address_changed_on: date | None = Field(
        default=None, description="When the claimant last changed address (a classic red flag near a claim)."
    )


class Party(Frozen):
    """Someone else involved: other driver, witness, passenger, owner."""

    name: str = Field(min_length=1, max_length=200)
    role: str = Field(pattern=r"^(other_driver|witness|passenger|pedestrian|owner|other)$")
    insurer: str | None = Field(default=None, max_length=200)
    vehicle_plate: str | None = Field(default=None, max_length=20)
    phone: str | None = Field(default=None, max_length=40)


class Injury(Frozen):
    person: str = Field(min_length=1, max_length=200)
    severity: str = Field(pattern=r"^(minor|moderate|serious|fatal)$")
    description: str | None = Field(default=None, max_length=2000)


class Vehicle(Frozen):
    vin: str | None = Field(default=None, pattern=r"^[A-HJ-NPR-Z0-9]{17}$")
    make: str = Field(min_length=1, max_length=50)
    model: str | None = Field(default=None, max_length=50)
    year: int = Field(ge=1950, le=2100)
    plate: str | None = Field(default=None, max_length=20)
    category: VehicleCategory = VehicleCategory.SEDAN
    value: Money | None = Field(default=None, description="Market value of the vehicle in the policy currency.")
    power: int | None = Field(default=None, ge=1, le=30, description="Tariff power class (freMTPL2 VehPower).")
    fuel: str | None = Field(default=None, pattern=r"^(regular|diesel|electric|hybrid)$")


class InsuredProperty(Frozen):
    address: Address
    kind: str = Field(pattern=r"^(building|contents|vehicle_fleet|infrastructure|other)$")
    year_built: int | None = Field(default=None, ge=1600, le=2100)


class PoliceReport(Frozen):
    filed: bool
    report_number: str | None = Field(default=None, max_length=50)
    authority: str | None = Field(default=None, max_length=100)


class Loss(Frozen):
    occurred_at: AwareDatetime
    reported_at: AwareDatetime
    place: Address
    area_type: AreaType = AreaType.URBAN
    description: str = Field(min_length=1, max_length=5000)
    cause: str = Field(
        pattern=r"^(collision|theft|vandalism|fire|lightning|wind|hail|water|glass|other)$",
        description="Cause of loss as the reporter states it.",
    )
    fault: Fault = Fault.UNKNOWN
    police_report: PoliceReport | None = None
    witness_present: bool = False
    claimed_amount: Money | None = Field(
        default=None, description="Amount claimed at first notice, if stated, in the policy currency."
    )

    @model_validator(mode="after")
    def _reported_after_loss(self) -> Loss:
        if self.reported_at < self.occurred_at:
            raise ValueError("reported_at is before occurred_at: a loss is reported when or after it occurs")
        return self


class Policy(Frozen):
    """Policy facts the intake system copies from the policy administration system."""

    policy_number: str = Field(min_length=1, max_length=50)
    inception_date: date
    expiry_date: date | None = None
    coverage: Coverage
    deductible: Money
    sum_insured: Money = Field(description="Limit of indemnity for this claim's coverage.")
    currency: Currency = Field(
        default=DEFAULT_CURRENCY,
        description="The policy's currency: of its sum insured, deductible and premium, of the amount claimed, and of "
        "every payment on the claim. A policy that does not name one is in EUR.",
    )
    premium: Money | None = None
    prior_claims: int = Field(default=0, ge=0, le=1000, description="Claims on this policy before this one.")
    vehicles_insured: int = Field(default=1, ge=0, le=10_000)
    agent_type: str = Field(default="internal", pattern=r"^(internal|external)$")
    driver_rating: int | None = Field(default=None, ge=1, le=4)
    bonus_malus: int | None = Field(default=None, ge=50, le=350, description="French-style bonus-malus level.")
    area_code: str | None = Field(default=None, pattern=r"^[A-F]$", description="Tariff area A (rural) .. F (urban).")
    population_density: int | None = Field(default=None, ge=0, le=100_000)
    region: str | None = Field(default=None, max_length=100)


class BankAccount(Frozen):
    """Where the claimant asks to be paid: an IBAN, or an account and routing number (US ABA)."""

    holder: str | None = Field(default=None, max_length=200)
    iban: str | None = Field(default=None, pattern=r"^[A-Z]{2}[0-9]{2}[A-Z0-9 ]{11,40}$")
    account_number: str | None = Field(default=None, pattern=r"^[0-9]{4,17}$")
    routing_number: str | None = Field(default=None, pattern=r"^[0-9]{9}$")

    @model_validator(mode="after")
    def _iban_or_account(self) -> BankAccount:
        if self.iban is None and (self.account_number is None or self.routing_number is None):
            raise ValueError("a bank account needs an iban, or both account_number and routing_number")
        return self


class DocumentRef(Frozen):
    sha256: Sha256
    filename: str = Field(min_length=1, max_length=255)
    media_type: str = Field(max_length=100)
    size_bytes: int = Field(ge=0)


def _example() -> dict[str, Any]:
    """The motor FNOL in examples/fnol/motor.json (a link to this package's file): the schema's example."""
    example: dict[str, Any] = json.loads(files(__package__).joinpath("fnol.example.json").read_text())
    return example


class FNOL(Frozen):
    """First notice of loss: one claim as an intake system reports it."""

    model_config = ConfigDict(json_schema_extra={"examples": [_example()]})

    claim_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$", description="The insurer's claim number.")
    line_of_business: LineOfBusiness
    policy: Policy
    loss: Loss
    claimant: Person
    vehicle: Vehicle | None = None
    insured_property: InsuredProperty | None = None
    other_parties: list[Party] = Field(default_factory=list, max_length=50)
    injuries: list[Injury] = Field(default_factory=list, max_length=50)
    supplements: int = Field(default=0, ge=0, le=100, description="Supplements filed to this claim so far.")
    bank_account: BankAccount | None = Field(default=None, description="The account the claimant asks to be paid to.")
    documents: list[DocumentRef] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _insured_object_matches_line(self) -> FNOL:
        if self.line_of_business is LineOfBusiness.MOTOR and self.vehicle is None:
            raise ValueError("a motor claim needs a vehicle: add `vehicle` (make and year at least)")
        if self.line_of_business is LineOfBusiness.PROPERTY and self.insured_property is None:
            raise ValueError("a property claim needs insured_property: add it (address and kind at least)")
        return self
