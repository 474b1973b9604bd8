from services.core.events import Extraction
from services.links.entities import mentions
from tests.unit.services.links.conftest import fnol

SHA = "b" * 64


def read(doc_type: str, *fields: tuple[str, str, float]) -> Extraction:
    return Extraction.model_validate(
        {
            "documents": [{"sha256": SHA, "filename": "d.pdf", "doc_type": doc_type, "pages": 1}],
            "fields": [
                {"name": n, "value": v, "confidence": c, "document": SHA, "page": 1, "method": "text_layer"}
                for n, v, c in fields
            ],
            "findings": [],
            "missing_documents": [],
        }
    )


def test_the_fnol_names_the_claimant_their_contacts_account_vehicle_and_parties() -> None:
    claim = fnol(
        "EN-001",
        other_parties=[
            {"name": "Olga Other", "role": "other_driver", "phone": "217-555-0101", "vehicle_plate": "xy 12"}
        ],
        bank_account={"iban": "GB82 WEST 1234 5698 7654 32"},
    )
    found = {(m.kind, m.role): m.key for m in mentions(claim, None)}
    assert found[("bank_account", "claimant")] == "GB82WEST12345698765432"
    assert found[("phone", "other_driver")] == "+12175550101"
    assert found[("plate", "other_driver")] == "XY12"
    assert found[("person", "other_driver")] == "olga other"
    assert found[("policy", "policy")] == "POL-EN-001"
    assert {("person", "claimant"), ("email", "claimant"), ("address", "claimant"), ("plate", "vehicle")} <= set(found)


def test_documents_add_the_garage_and_a_clinic_whose_phone_is_the_business() -> None:
    estimate = read(
        "repair_estimate", ("repair_shop_name", "Hub Body Shop Ltd", 0.95), ("witness_phone", "217 555 0111", 0.9)
    )
    bill = read("medical_bill", ("vendor_name", "Rehab Clinic", 0.95), ("vendor_phone", "217 555 0122", 0.95))
    claim = fnol("EN-002")
    shop = {(m.kind, m.role): m.key for m in mentions(claim, estimate)}
    clinic = {(m.kind, m.key) for m in mentions(claim, bill) if m.role == "medical_provider"}
    assert shop[("repair_shop", "repair_shop")] == "hub body shop"
    assert shop[("phone", "witness")] == "+12175550111"
    assert clinic == {("medical_provider", "rehab clinic"), ("medical_provider", "tel:+12175550122")}


def test_a_field_read_unsurely_links_nothing() -> None:
    unsure = read("repair_estimate", ("repair_shop_name", "Maybe Motors", 0.5))
    assert not [m for m in mentions(fnol("EN-003"), unsure) if m.kind == "repair_shop"]
