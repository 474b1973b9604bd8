"""Every command the README and docs/ show exists.

Commands are read from shell code blocks (```sh, ```bash, ```shell, ```console) and from inline code, and
checked against what they name: `triage …` against the Typer app (each subcommand, each option, and the value of
an argument or option that has choices), `make TARGET` against the Makefile's targets, `python -m benchmarks.X`
and `python benchmarks/X.py` against the files (and their `--options` against the script's argparse), and
`scripts/X.sh ACTION` against the script and its `case` arms. Placeholders (`<service>`, `FILE…`, `$s`, `…`) are
not checked.
"""

from __future__ import annotations

import enum
import re
import shlex
import typing
from dataclasses import dataclass
from functools import cache
from itertools import product
from pathlib import Path
from typing import Any

import pytest
import typer

from services.app.cli import app

ROOT = Path(__file__).resolve().parents[3]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

SHELL_LANGUAGES = {"sh", "bash", "shell", "console", "zsh"}
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
INLINE = re.compile(r"`([^`]+)`")
SEPARATORS = {"&&", "||", ";", "|", "&", "(", ")", ";;", "|&", "$(", "`"}
LEADERS = {"do", "done", "then", "else", "fi", "time", "!", "{", "}", "exec", "nice"}
ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
UPPER_PLACEHOLDER = re.compile(r"^[A-Z][A-Z0-9_]*(…|\.\.\.)?$")
CASE_ARM = re.compile(r"^\s*([a-z][a-z0-9|-]*)\)", re.MULTILINE)
MAKE_TARGET = re.compile(r"^([A-Za-z0-9][\w.-]*)\s*:(?!=)", re.MULTILINE)


@dataclass(frozen=True)
class Shown:
    """A command as a page shows it."""

    page: str
    words: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.page}: {' '.join(self.words)}"


def is_placeholder(word: str) -> bool:
    return any(mark in word for mark in "<>…{}$") or "..." in word or bool(UPPER_PLACEHOLDER.match(word))


def commands(words: list[str]) -> list[tuple[str, ...]]:
    """The commands in a line of words: split at the shell's separators, assignments and keywords dropped, and
    brackets around optional parts (`[--by carol]`) taken off."""
    found: list[tuple[str, ...]] = []
    current: list[str] = []
    for word in [*words, ";"]:
        if word in SEPARATORS:
            while current and (ASSIGNMENT.match(current[0]) or current[0] in LEADERS):
                current.pop(0)
            if current:
                found.append(tuple(current))
            current = []
            continue
        word = word.strip("[]")
        if word:
            current.append(word)
    return found


def shell_commands(block: str) -> list[tuple[str, ...]]:
    """The commands of a shell code block, line by line (continuation lines joined, comments dropped)."""
    found = []
    for line in block.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        found += commands(list(lexer))
    return found


def inline_commands(span: str) -> list[tuple[str, ...]]:
    """The commands of an inline code span; `a|b` shows alternatives (`triage models evaluate|promote`)."""
    try:
        words = shlex.split(" ".join(span.split()))
    except ValueError:  # not shell: an apostrophe in prose-like code
        return []
    choices = [word.split("|") if "|" in word and word not in SEPARATORS else [word] for word in words]
    return [command for variant in product(*choices) for command in commands(list(variant))]


def shown_in(page: str, text: str) -> list[Shown]:
    """Every command `text` shows: in its shell blocks, and in inline code outside any block."""
    found = []
    for language, block in FENCE.findall(text):
        if language.strip().lower() in SHELL_LANGUAGES:
            found += [Shown(page, words) for words in shell_commands(block)]
    prose = FENCE.sub("", text)
    for span in INLINE.findall(prose):
        if "\n\n" not in span:
            found += [Shown(page, words) for words in inline_commands(span)]
    return found


# What the commands name.


@cache
def cli() -> Any:
    return typer.main.get_command(app)


@cache
def make_targets() -> frozenset[str]:
    return frozenset(MAKE_TARGET.findall((ROOT / "Makefile").read_text()))


def choices_of(param: Any) -> set[str]:
    """The values a parameter accepts, when they are a fixed set (an enum, or click's Choice)."""
    choices = getattr(getattr(param, "type", None), "choices", None)
    if choices:
        return {str(choice) for choice in choices}
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
            return {str(member.value) for member in candidate}
    return set()


def check_value(where: str, param: Any, value: str) -> list[str]:
    choices = choices_of(param)
    if choices and not is_placeholder(value) and value not in choices:
        return [f"{where}: {value!r} is not one of {sorted(choices)}"]
    return []


def check_triage(args: tuple[str, ...]) -> list[str]:
    command, path = cli(), ["triage"]
    while hasattr(command, "commands") and args:
        word, args = args[0], args[1:]
        if word == "--help" or is_placeholder(word):
            return []
        if word.startswith("-"):
            return [f"{' '.join(path)} has no option {word}"]
        if word not in command.commands:
            return [f"{' '.join(path)} has no command {word!r}"]
        command, path = command.commands[word], [*path, word]
    if hasattr(command, "commands"):
        return []  # a group named on its own (`triage models`)
    return check_parameters(" ".join(path), command, args)


def check_parameters(where: str, command: Any, args: tuple[str, ...]) -> list[str]:
    options = {
        name: p for p in command.params if p.param_type_name == "option" for name in (*p.opts, *p.secondary_opts)
    }
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    problems: list[str] = []
    position, i = 0, 0
    while i < len(args):
        word = args[i]
        if word.startswith("-") and len(word) > 1:
            name, _, value = word.partition("=")
            option = options.get(name)
            if name == "--help":
                pass
            elif option is None:
                problems.append(f"{where} has no option {name}")
                if not value and i + 1 < len(args) and not args[i + 1].startswith("-"):
                    i += 1  # what follows is taken for its value
            elif value:
                problems += check_value(f"{where} {name}", option, value)
            elif not getattr(option, "is_flag", False) and i + 1 < len(args) and not args[i + 1].startswith("-"):
                i += 1
                problems += check_value(f"{where} {name}", option, args[i])
        elif position < len(arguments):
            problems += check_value(where, arguments[position], word)
            if arguments[position].nargs != -1:
                position += 1
        else:
            problems.append(f"{where} takes no argument {word!r}")
        i += 1
    return problems


def check_make(args: tuple[str, ...]) -> list[str]:
    targets = [word for word in args if not word.startswith("-") and not ASSIGNMENT.match(word)]
    return [f"the Makefile has no target {target!r}" for target in targets if target not in make_targets()]


def check_script_options(script: Path, args: tuple[str, ...]) -> list[str]:
    source = script.read_text()
    names = {word.partition("=")[0] for word in args if word.startswith("--")} - {"--help"}
    return [f"{script.relative_to(ROOT)} has no option {name}" for name in sorted(names) if f'"{name}"' not in source]


def check_python(args: tuple[str, ...]) -> list[str]:
    if len(args) >= 2 and args[0] == "-m" and args[1].startswith("benchmarks."):
        module = ROOT / args[1].replace(".", "/")
        script = module.with_suffix(".py") if module.with_suffix(".py").is_file() else module / "__main__.py"
        name, rest = args[1], args[2:]
    elif args and args[0].startswith(("benchmarks/", "scripts/")):
        script, name, rest = ROOT / args[0], args[0], args[1:]
    else:
        return []  # another module or tool (`python -m pytest`)
    if not script.is_file():
        return [f"no such script: {name}"]
    return check_script_options(script, rest)


def check_script(path: str, args: tuple[str, ...]) -> list[str]:
    script = ROOT / path
    if not script.is_file():
        return [f"no such file: {path}"]
    if script.suffix != ".sh":
        return []
    arms = {arm for found in CASE_ARM.findall(script.read_text()) for arm in found.split("|")}
    action = next((word for word in args if not word.startswith("-")), None)
    if arms and action is not None and not is_placeholder(action) and action not in arms:
        return [f"{path} has no action {action!r} (it has {sorted(arms)})"]
    return []


def problems_of(words: tuple[str, ...]) -> list[str]:
    """What is wrong with a command as shown: nothing for a command this checker does not know."""
    head, args = words[0], words[1:]
    if head == "triage":
        return check_triage(args)
    if head == "make":
        return check_make(args)
    if head in ("python", "python3"):
        return check_python(args)
    if head.startswith("scripts/"):
        return check_script(head, args)
    return []


def all_shown() -> list[Shown]:
    return [shown for page in PAGES for shown in shown_in(page.relative_to(ROOT).as_posix(), page.read_text())]


# The docs.


def test_every_command_the_docs_show_exists() -> None:
    problems = [f"{shown}  ->  {problem}" for shown in all_shown() for problem in problems_of(shown.words)]
    assert not problems, "\n".join(problems)


def test_the_docs_show_commands_of_every_kind() -> None:
    heads = {shown.words[0] for shown in all_shown()}
    assert {"triage", "make", "python"} <= heads
    assert any(head.startswith("scripts/") for head in heads)


# The checker itself.

PAGE = """
Run `make demo`, then `triage models evaluate|promote fraud` or `triage retire fraud`.

```sh
export TRIAGE_BUS=kafka TRIAGE_KAFKA_BOOTSTRAP=$(cat /tmp/bootstrap)   # a comment: it's ignored
TRIAGE_ADJUSTER_TOKEN_SECRET=… triage run adjuster-api &
for s in intake router; do triage run $s & done
triage audit purge [--before 2026-01-01] [--by carol]
triage compliance report --from 2026-11-01 \\
    --to 2026-11-30 --out report.html
```

```
triage not-a-command   (not a shell block: a picture)
```
"""


def test_commands_are_read_from_shell_blocks_and_inline_code() -> None:
    assert [shown.words for shown in shown_in("page.md", PAGE)] == [
        ("export", "TRIAGE_BUS=kafka", "TRIAGE_KAFKA_BOOTSTRAP=$"),
        ("cat", "/tmp/bootstrap"),
        ("triage", "run", "adjuster-api"),
        ("for", "s", "in", "intake", "router"),
        ("triage", "run", "$s"),
        ("triage", "audit", "purge", "--before", "2026-01-01", "--by", "carol"),
        ("triage", "compliance", "report", "--from", "2026-11-01", "--to", "2026-11-30", "--out", "report.html"),
        ("make", "demo"),
        ("triage", "models", "evaluate", "fraud"),
        ("triage", "models", "promote", "fraud"),
        ("triage", "retire", "fraud"),
    ]


@pytest.mark.parametrize(
    "command",
    [
        "triage run intake-api",
        "triage run $s",
        "triage run SERVICE",
        "triage models promote fraud --metric brier --min-gain 0.005",
        "triage models promote --by --why",
        "triage token alice --role adjuster --role auditor",
        "triage audit export audit.csv --format=csv --since 2026-11-01",
        "triage extract a.pdf b.png --json --country US",
        "triage train --no-force",
        "triage models",
        "triage --help",
        "make test",
        "make unit PYTHON=python3.11",
        "python -m benchmarks.load --claims 10000 --rate 500",
        "python benchmarks/docextract.py --corpus DIR --plot calib.png",
        "python -m pytest tests/unit",
        "scripts/kafka.sh start",
        "scripts/postgres.sh stop",
        "scripts/prometheus.yml",
    ],
)
def test_real_commands_pass(command: str) -> None:
    assert problems_of(tuple(command.split())) == []


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        ("triage retire fraud", "triage has no command 'retire'"),
        ("triage models retire fraud", "triage models has no command 'retire'"),
        ("triage --verbose demo", "triage has no option --verbose"),
        ("triage train --epochs 3", "triage train has no option --epochs"),
        ("triage run billing", "triage run: 'billing' is not one of"),
        ("triage token alice --role janitor", "triage token --role: 'janitor' is not one of"),
        ("triage audit verify everything", "triage audit verify takes no argument 'everything'"),
        ("make deploy", "the Makefile has no target 'deploy'"),
        ("python -m benchmarks.throughput", "no such script: benchmarks.throughput"),
        ("python benchmarks/throughput.py", "no such script: benchmarks/throughput.py"),
        ("python benchmarks/load.py --turbo", "benchmarks/load.py has no option --turbo"),
        ("scripts/kafka.sh explode", "scripts/kafka.sh has no action 'explode'"),
        ("scripts/deploy.sh", "no such file: scripts/deploy.sh"),
    ],
)
def test_invented_commands_fail(command: str, problem: str) -> None:
    found = problems_of(tuple(command.split()))
    assert len(found) == 1 and found[0].startswith(problem), found


def test_an_invented_command_on_a_page_is_found() -> None:
    problems = [problem for shown in shown_in("page.md", PAGE) for problem in problems_of(shown.words)]
    assert problems == ["triage has no command 'retire'"]
