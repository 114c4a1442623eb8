"""The commands the docs tell people to type work, as written, on a fresh clone.

Every logical line of the fenced ``sh`` / ``bash`` blocks of README.md and docs/*.md
is a command. Each is checked: its executables exist (a tool of ``.venv/bin``, a
target of the Makefile, or one of a few system tools), and the programs of the
project parse its arguments with their own parsers. Those that need no server, no
production settings and no minutes of work are then RUN, as written, from the
repository root, against a throw-away SQLite database and data folder (``--out``
goes to a temporary folder; the German credit file is replaced by a small one in
the same layout). ``NOT_RUN`` lists, with the reason, the ones only checked. A
documented command that is neither runnable nor listed fails this test, and so
does a run that leaves the checkout changed.

Commands in inline code must follow the same convention: ``.venv/bin/X`` rather
than a bare ``python``, ``uvicorn`` or ``neobank``, which fail without an activated
virtualenv.
"""

from __future__ import annotations

import importlib
import io
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.german_credit import german_credit_rows

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
VENV_BIN = ".venv/bin/"
SHELL_FENCES = {"sh", "bash"}
GERMAN_DATA = "../shared/datasets/german_credit/german.data"

BY_HAND = "neobank_10m"
NOT_RUN = {
    r"^\.venv/bin/neobank prod\b": "needs production settings, PostgreSQL and Redis; starts the workers",
    r"^\.venv/bin/python -m modeling train\b": "trains on 100,000 clients: about a minute",
    r"give_me_some_credit": "150,000 rows: half a minute",
    r"^\.venv/bin/uvicorn\b": "starts a server",
    r"^\.venv/bin/python benchmarks/": "a benchmark: minutes, servers, a browser",
    BY_HAND: "the 10,000,000-client benchmark database, grown by hand (docs/performance.md)",
}
"""Checked (executable, arguments) but not run; everything else of ``.venv/bin`` runs."""

SYSTEM_TOOLS = {
    "curl": "talks to a running server",
    "cp": "writes into the checkout",
    **dict.fromkeys(("createdb", "dropdb", "psql"), "changes a PostgreSQL server"),
}
"""Tools from the system: they must exist; never run here."""
SHELL_BUILTINS = {"export"}
BARE_TOOLS = ("python", "python3", "uvicorn", "neobank", "reflex", "pytest", "alembic", "ruff", "mypy")
"""Tools of the virtualenv: written bare, they fail without an activated ``.venv``."""
ALLOWED_BARE = {
    "reflex run --env prod --single-port": "what `neobank prod` starts, not a command to type",
    "reflex run --env prod": "what the browser tests start, not a command to type",
}
STRONG_PASSWORD = "Lantern-Orchard-Quartz-2026!"
"""For ``accounts create``, which reads ``NEOBANK_NEW_PASSWORD`` when there is no terminal."""


@dataclass(frozen=True)
class Command:
    text: str  # the logical line, continuation lines joined
    env: dict[str, str]  # leading VAR=value assignments
    segments: list[list[str]]  # each simple command (pipes, $(...)), without assignments

    @property
    def argv(self) -> list[str]:
        return self.segments[0]

    @property
    def executables(self) -> list[str]:
        return [words[0] for words in self.segments]


@dataclass(frozen=True)
class Block:
    where: str  # path:line of the opening fence
    commands: list[Command]


def _logical_lines(lines: list[str]) -> Iterator[str]:
    pending = ""
    for line in lines:
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        yield pending + line
        pending = ""
    if pending:
        yield pending


def _segments(text: str) -> list[list[str]]:
    """The words of each simple command of ``text`` (split at pipes, ``$(``, ``;``, ``&&``)."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars="|&;()")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    segments: list[list[str]] = [[]]
    for token in lexer:
        if set(token) <= set("|&;()"):
            segments.append([])
        else:
            segments[-1].append(token.removesuffix("$"))
    return [words for words in segments if words]


def _without_assignments(words: list[str]) -> tuple[dict[str, str], list[str]]:
    env = {}
    while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
        name, _, value = words[0].partition("=")
        env[name] = value
        words = words[1:]
    return env, words


def _command(text: str) -> Command | None:
    segments = _segments(text)
    if not segments:
        return None  # a comment line (an example answer, an explanation)
    env, _ = _without_assignments(segments[0])
    commands = [words for words in (_without_assignments(s)[1] for s in segments) if words]
    if not commands:
        return Command(text.strip(), env, [["export", *segments[0]]])  # NAME=value alone
    return Command(text.strip(), env, commands)


def shell_blocks() -> list[Block]:
    blocks = []
    for path in DOCS:
        lines = path.read_text(encoding="utf-8").splitlines()
        fence, start, body = None, 0, []
        for number, line in enumerate(lines, 1):
            marker = re.match(r"^\s*```(\w*)\s*$", line)
            if marker and fence is None:
                fence, start, body = marker.group(1), number, []
            elif marker:
                if fence in SHELL_FENCES:
                    commands = [c for c in map(_command, _logical_lines(body)) if c is not None]
                    blocks.append(Block(f"{path.relative_to(ROOT)}:{start}", commands))
                fence = None
            elif fence is not None:
                body.append(line)
    return blocks


BLOCKS = shell_blocks()


def make_targets() -> set[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", makefile, flags=re.MULTILINE))


# ------------------------------------------------------------------ checks


def _executable_problem(word: str) -> str | None:
    if word.startswith(VENV_BIN):
        tool = ROOT / word
        return None if tool.is_file() and os.access(tool, os.X_OK) else f"{word} does not exist"
    if word == "make" or word in SHELL_BUILTINS:
        return None
    if word in SYSTEM_TOOLS:
        return None if shutil.which(word) else f"{word} is not installed"
    if word in BARE_TOOLS:
        return f"write {VENV_BIN}{word}: without an activated virtualenv `{word}` is not found"
    return f"{word}: not a tool of {VENV_BIN}, a make target or a known system tool"


def _parse_problem(argv: list[str]) -> str | None:
    """The program's own parser on the documented arguments (nothing runs)."""
    tool, arguments = argv[0].removeprefix(VENV_BIN), argv[1:]
    if tool == "python" and arguments[:2] == ["-m", "neobank_dashboard.cli"]:
        tool, arguments = "neobank", arguments[2:]
    if tool == "neobank":
        from neobank_dashboard.cli import parser
    elif tool == "python" and arguments[:2] == ["-m", "modeling"]:
        from modeling.cli import parser

        arguments = arguments[2:]
    elif tool == "python" and arguments[:1] == ["-c"]:
        try:
            compile(arguments[1], "<docs>", "exec")
        except SyntaxError as error:
            return f"the -c code does not compile: {error}"
        return None
    elif tool == "python":
        script = ROOT / arguments[0]
        return None if script.is_file() else f"{arguments[0]} does not exist"
    elif tool == "uvicorn":
        return _uvicorn_problem(arguments)
    else:
        return None  # another tool of the virtualenv: it exists, and it runs below
    errors = io.StringIO()
    try:
        with redirect_stderr(errors), redirect_stdout(io.StringIO()):
            parser().parse_args(arguments)
    except SystemExit as exit:  # --help exits 0
        return f"arguments refused (exit {exit.code}): {errors.getvalue().strip()}" if exit.code else None
    return None


def _uvicorn_problem(arguments: list[str]) -> str | None:
    from click.exceptions import ClickException
    from uvicorn.main import main as uvicorn_command

    try:
        context = uvicorn_command.make_context("uvicorn", list(arguments))
    except ClickException as error:
        return f"uvicorn refuses the arguments: {error.format_message()}"
    module, _, attribute = context.params["app"].partition(":")
    if not hasattr(importlib.import_module(module), attribute):
        return f"{context.params['app']}: no such application"
    return None


def _not_run_reason(command: Command) -> str | None:
    tool = command.executables[0]
    if tool == "make":
        return "a make target: installs, trains or starts the app"
    for word in command.executables:
        if word in SYSTEM_TOOLS:
            return f"{word} {SYSTEM_TOOLS[word]}"
    if tool in SHELL_BUILTINS:
        return "a shell built-in"
    for pattern, reason in NOT_RUN.items():
        # Against the arguments, or the whole line for a database named in an assignment.
        if re.search(pattern, " ".join(command.argv)) or (pattern == BY_HAND and BY_HAND in command.text):
            return reason
    return None


def _static_problems(command: Command) -> list[str]:
    problems = [p for p in map(_executable_problem, command.executables) if p]
    if problems:
        return problems
    tool = command.argv[0]
    if tool == "make":
        missing = [t for t in command.argv[1:] if not t.startswith("-") and t not in make_targets()]
        return [f"no make target {target!r}" for target in missing]
    if tool == "cp":
        sources = [word for word in command.argv[1:-1] if not word.startswith("-")]
        return [f"{source} does not exist" for source in sources if not (ROOT / source).exists()]
    if tool == "export":
        bad = [word for word in command.argv[1:] if not re.fullmatch(r"[A-Z_][A-Z0-9_]*=\S+", word)]
        return [f"export {word!r} is not NAME=value" for word in bad]
    parsed = [_parse_problem(words) for words in command.segments if words[0].startswith(VENV_BIN)]
    return [problem for problem in parsed if problem]


# ------------------------------------------------------------------ running


def _sandbox(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEOBANK_", "REFLEX_"))}
    env.pop("SCORING_MODE", None)
    env.update(
        NEOBANK_ENV="dev",
        NEOBANK_DATA_DIR=str(tmp_path / "data"),
        NEOBANK_MODEL_DIR=str(tmp_path / "data" / "models"),
        REFLEX_DB_URL=f"sqlite:///{tmp_path / 'data' / 'docs.db'}",
        REFLEX_TELEMETRY_ENABLED="false",
        NEOBANK_NEW_PASSWORD=STRONG_PASSWORD,
        PYTHONPATH=str(ROOT),
    )
    (tmp_path / "data").mkdir(exist_ok=True)
    return env


def _as_run(argv: list[str], tmp_path: Path, index: int) -> list[str]:
    """The documented arguments, with outputs redirected and the German data made small."""
    argv = list(argv)
    for position, word in enumerate(argv[:-1]):
        if word == "--out":
            argv[position + 1] = str(tmp_path / f"out-{index}")
        if word == "--data" and argv[position + 1] == GERMAN_DATA:
            small = tmp_path / "german.data"
            small.write_text(german_credit_rows(300))
            argv[position + 1] = str(small)
    return argv


def _checkout_state() -> str | None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        return None
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return status.stdout if status.returncode == 0 else None


@pytest.mark.parametrize("block", BLOCKS, ids=[block.where for block in BLOCKS])
def test_documented_commands_work(block: Block, tmp_path):
    """One throw-away database per block: its commands run in order (create, list, ...)."""
    assert block.commands, f"{block.where}: an empty shell block"
    problems = [f"{c.text}: {p}" for c in block.commands for p in _static_problems(c)]
    assert not problems, f"{block.where}:\n" + "\n".join(problems)

    env, before, ran = _sandbox(tmp_path), _checkout_state(), 0
    for index, command in enumerate(block.commands):
        if _not_run_reason(command) is not None:
            continue
        argv = _as_run(command.argv, tmp_path, index)
        argv[0] = str(ROOT / argv[0])
        result = subprocess.run(
            argv,
            cwd=ROOT,
            env={**env, **command.env},
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        ran += 1
        assert result.returncode == 0 and "Traceback" not in result.stderr, (
            f"{block.where}: `{command.text}` failed (exit {result.returncode}):\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        )
    if ran:
        assert _checkout_state() == before, f"{block.where}: its commands changed the checkout"


def test_the_docs_have_commands_that_run():
    """Guards the extraction itself: the blocks are found, and most commands run."""
    commands = [command for block in BLOCKS for command in block.commands]
    wheres = {block.where.split(":")[0] for block in BLOCKS}
    assert {"README.md", "docs/api.md", "docs/deployment.md", "docs/modeling.md"} <= wheres
    run = [c.text for c in commands if _not_run_reason(c) is None]
    assert any(text.startswith(".venv/bin/neobank api-clients create") for text in run)
    assert any(text.startswith(".venv/bin/python -m modeling benchmark") for text in run)


def test_a_bare_or_missing_command_is_caught():
    """The checks themselves: what a newcomer hit must fail here."""
    assert "without an activated virtualenv" in _static_problems(_command("uvicorn app:app"))[0]
    assert "does not exist" in _static_problems(_command(".venv/bin/nowhere --help"))[0]
    assert "no make target" in _static_problems(_command("make deploy-everything"))[0]
    refused = _static_problems(_command(".venv/bin/python -m modeling benchmark --data x.csv"))
    assert "arguments refused" in refused[0] and "--target" in refused[0]
    assert "arguments refused" in _static_problems(_command(".venv/bin/neobank api-clients remove"))[0]
    assert _not_run_reason(_command("make run")) and _not_run_reason(_command("curl -s localhost:1"))


INLINE_CODE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")


def test_inline_commands_use_the_virtualenv():
    bare = []
    for path in DOCS:
        text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        for span in INLINE_CODE.findall(text):
            words = span.split()
            # A tool named alone ("the `neobank` command") is not a command to type.
            if len(words) > 1 and words[0] in BARE_TOOLS and span not in ALLOWED_BARE:
                bare.append(f"{path.relative_to(ROOT)}: `{span}`")
    assert not bare, f"write {VENV_BIN}X (see README.md):\n" + "\n".join(bare)
