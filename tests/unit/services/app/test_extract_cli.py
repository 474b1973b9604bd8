"""`triage extract FILE…`: a user's own documents read as the docextract stage reads them."""

import json
from pathlib import Path

from typer.testing import CliRunner

from claimgen.documents import loss_notice_pdf, repair_estimate_pdf
from services.app.cli import app


def test_each_document_is_printed_as_json_with_type_fields_and_positions(tmp_path: Path, sample_claims):
    fnol = next(claim.fnol for claim in sample_claims if claim.fnol.vehicle is not None)
    notice, estimate = tmp_path / "notice.pdf", tmp_path / "estimate.pdf"
    notice.write_bytes(loss_notice_pdf(fnol, fillable=False))
    estimate.write_bytes(repair_estimate_pdf(fnol, [("Rear bumper cover - replace", 612.40)]))

    result = CliRunner().invoke(app, ["extract", "--json", str(notice), str(estimate)])

    assert result.exit_code == 0, result.output
    read = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["file"], r["doc_type"]) for r in read] == [
        (str(notice), "loss_notice"),
        (str(estimate), "repair_estimate"),
    ]
    fields = {f["name"]: f for f in read[0]["fields"]}
    assert fields["policy_number"]["value"] == fnol.policy.policy_number
    assert fields["policy_number"]["box"]["unit"] == "pt" and fields["policy_number"]["page"] == 1
    assert {f["name"]: f["value"] for f in read[1]["fields"]}["estimate_total"] == "612.40"


def test_a_table_for_people_and_a_clear_error_for_what_cannot_be_read(tmp_path: Path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 cut off")

    result = CliRunner().invoke(app, ["extract", str(broken)])

    assert result.exit_code == 1
    assert "broken.pdf: cannot be read: corrupt" in " ".join(result.output.split())
    assert CliRunner().invoke(app, ["extract", str(tmp_path / "missing.pdf")]).exit_code != 0
