"""`otopbot nlu` and `otopbot nlu-eval` as an operator runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from nlu_paths import BOT

from otopbot.nlu.commands import commands, nlu, nlu_eval


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, engine: object) -> CliRunner:
    monkeypatch.setenv("OTOPBOT_CONTENT_DIR", str(BOT))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'unused.sqlite3'}")
    return CliRunner()


def test_commands_are_exported() -> None:
    assert [c.name for c in commands] == ["nlu", "nlu-eval"]


def test_nlu_prints_one_json_object_per_message(runner: CliRunner) -> None:
    result = runner.invoke(nlu, ["--today", "2025-06-11", "จองอบรมที่โคราช ๒ ที่ พรุ่งนี้", "สวัสดีค่ะ"])
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.output.splitlines())
    assert set(first) == {"text", "intent", "confidence", "entities"}
    assert first["text"] == "จองอบรมที่โคราช ๒ ที่ พรุ่งนี้"
    assert first["intent"] == "book_workshop"
    assert first["entities"] == {
        "category": None,
        "province": "นครราชสีมา",
        "date": "2025-06-12",
        "phone": None,
        "count": 2,
        "date_end": None,
        "region": None,
        "widen": None,
        "follow_up": False,
        "scheme": None,
    }
    assert second["intent"] == "greet"
    assert "\\u" not in result.output  # Thai stays readable


def test_nlu_reads_stdin_line_by_line(runner: CliRunner) -> None:
    result = runner.invoke(nlu, [], input="ขอบคุณค่ะ\n\nโทรกลับ 081-234-5678\n")
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["intent"] for line in lines] == ["thanks", "contact_staff"]
    assert lines[1]["entities"]["phone"] == "0812345678"


def test_nlu_rejects_a_bad_date(runner: CliRunner) -> None:
    result = runner.invoke(nlu, ["--today", "11/06/2025", "สวัสดี"])
    assert result.exit_code != 0
    assert "YYYY-MM-DD" in result.output


def test_nlu_eval_reports_accuracy_confusion_entities_and_oos(runner: CliRunner, tmp_path: Path) -> None:
    cases = tmp_path / "cases.yml"
    cases.write_text(
        '- {text: "ขอจองอบรมกระดาษสา 2 ที่ค่ะ", intent: book_workshop, category: paper, count: 2}\n'
        '- {text: "ดูดวงให้หน่อย", intent: out_of_scope}\n'
        '- {text: "ขอบคุณครับผม", intent: thanks}\n',
        encoding="utf-8",
    )
    result = runner.invoke(nlu_eval, [str(cases)])
    assert result.exit_code == 0, result.output
    assert "intent accuracy: 1.000" in result.output
    assert "confusion" in result.output
    assert "entity accuracy: 1.000" in result.output
    assert "out-of-scope precision: 1.000   recall: 1.000" in result.output
