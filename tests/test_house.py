"""What the restructuring added: edited pipelines, severity from configuration, the selectable
reference writer, the plugin loader's checks and the version line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from artconv.convert import convert_text
from artconv.core import plugins
from artconv.core.config import ConfigError, parse_config
from artconv.core.errors import PluginError
from artconv.lint.engine import Selection, lint_bytes
from conftest import FIXTURES

ARTICLE = b"---\ntitle: t\n---\n<p style='color:red'>Hi</p>\n"


# -- pipelines are edited, not copied ---------------------------------------------------------


def test_disable_edits_every_pipeline():
    config = parse_config({"pipelines": {"disable": ["whitespace"]}})
    for fmt in ("md", "json", "xhtml"):
        assert config.pipelines[fmt] == ("boilerplate", "tracking", "code-blocks", "style", "hexo-escapes")


def test_inserting_a_step_already_there_is_an_error():
    with pytest.raises(ConfigError, match=r"'style' is already in the pipeline"):
        parse_config({"pipelines": {"insert": {"style": {"after": "tracking"}}}})


def test_disable_and_insert_move_a_step():
    config = parse_config({"pipelines": {"disable": ["whitespace"], "insert": {"whitespace": {"before": "tracking"}}}})
    assert config.pipelines["xhtml"] == ("boilerplate", "whitespace", "tracking", "code-blocks", "style", "hexo-escapes")


def test_edits_of_one_format_leave_the_others():
    config = parse_config({"pipelines": {"json": {"disable": ["hexo-escapes"]}}})
    assert config.pipeline("json").ids == ["boilerplate", "tracking", "code-blocks", "style", "whitespace"]
    assert config.pipeline("md").ids == ["boilerplate", "tracking", "code-blocks", "style", "whitespace", "hexo-escapes"]


def test_edits_apply_to_a_whole_list_too():
    config = parse_config(
        {"pipelines": {"md": ["tracking", "style"], "disable": ["whitespace"], "insert": {"whitespace": {"before": "style"}}}}
    )
    assert config.pipelines["md"] == ("tracking", "whitespace", "style")
    assert config.pipelines["json"] == ("boilerplate", "tracking", "code-blocks", "whitespace", "style", "hexo-escapes")


@pytest.mark.parametrize(
    "pipelines, message",
    [
        ({"disable": ["whitespace"], "insert": {"whitespace": {"after": "nowhere"}}}, "cannot insert 'whitespace' after 'nowhere': no such step"),
        ({"insert": {"whitespace": {"after": "style", "before": "style"}}}, "must be {after = \"STEP\"} or {before = \"STEP\"}"),
        ({"insert": {"nope": {"after": "style"}}}, "unknown transformer 'nope' in [pipelines]"),
        ({"disable": ["stlye"]}, "unknown transformer 'stlye' in [pipelines]"),
        ({"md": {"order": []}}, "unknown key 'pipelines.md.order'"),
        ({"writer": "pandoc"}, "must be one of: tree, markdownify"),
    ],
)
def test_pipeline_edits_are_checked_strictly(pipelines, message):
    with pytest.raises(ConfigError) as caught:
        parse_config({"pipelines": pipelines}, source="pyproject.toml")
    assert message in str(caught.value)
    assert "pyproject.toml" in str(caught.value)


def test_disabling_a_step_changes_the_output():
    text = '---\ntitle: t\n---\n<p><span style="font-weight:bold">Hi</span> there</p>\n'
    disabled = parse_config({"pipelines": {"disable": ["style"]}})
    assert convert_text(text) == "---\ntitle: t\n---\n**Hi** there\n"  # style made the bold span <strong>
    assert convert_text(text, config=disabled) == "---\ntitle: t\n---\nHi there\n"


# -- the reference writer is selectable and agrees with the tree writer ----------------------


@pytest.mark.parametrize("case", sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.md").exists()))
def test_markdownify_writer_gives_what_the_tree_writer_gives(case):
    pytest.importorskip("markdownify")
    source = next((FIXTURES / case).glob("input.*"))
    text = source.read_bytes().decode("utf-8", "surrogateescape")
    reference = parse_config({"pipelines": {"writer": "markdownify"}})
    assert convert_text(text, path=str(source), config=reference) == convert_text(text, path=str(source), config=parse_config({}))


def test_the_markdownify_writer_runs_only_when_chosen():
    code = (
        "import sys; from artconv.convert import convert_text;"
        "from artconv.core.config import parse_config;"
        "convert_text('<p><b>x</b></p>\\n'); a = 'markdownify' in sys.modules;"
        "convert_text('<p><b>x</b></p>\\n', config=parse_config({'pipelines': {'writer': 'markdownify'}}));"
        "print(a, 'markdownify' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True"]


# -- severity: the rule's own, changed by configuration, decided by the engine ----------------


def _severities(config: dict) -> dict[str, str]:
    data = b"---\ntitle: a\nflag: no\n---\n<p style='x'>y</p>\n"
    result = lint_bytes(data, "post.md", Selection(), parse_config(config))
    return {f.code: f.severity for f in result.findings}


def test_rules_bring_their_own_severity():
    assert _severities({}) == {"FM004": "error", "HT101": "warning"}


def test_configuration_changes_severity_most_specific_selector_first():
    lint = {"severity": {"*": "error", "FM": "warning", "style-attribute": "warning", "HT1": "error"}}
    assert _severities({"lint": lint}) == {"FM004": "warning", "HT101": "warning"}


def test_a_severity_must_be_error_or_warning():
    with pytest.raises(ConfigError, match=r"'lint.severity.HT101' must be one of: error, warning"):
        parse_config({"lint": {"severity": {"HT101": "fatal"}}})


def test_github_and_sarif_output_carry_the_configured_severity(artconv, tmp_path):
    (tmp_path / ".artconv.toml").write_text("[lint.severity]\nHT101 = 'error'\n", "utf-8")
    (tmp_path / "post.md").write_bytes(ARTICLE)
    github = artconv("lint", "--no-cache", "--format", "github", "post.md", cwd=tmp_path).stdout.decode()
    assert github.startswith("::error file=post.md,line=4,col=4,title=HT101 style-attribute::")
    sarif = json.loads(artconv("lint", "--no-cache", "--format", "sarif", "post.md", cwd=tmp_path).stdout)
    run = sarif["runs"][0]
    assert run["results"][0]["level"] == "error"
    assert run["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"] == "warning"  # the rule's own


# -- one loader for every kind of plugin ---------------------------------------------------------


@pytest.mark.parametrize("group", sorted(plugins.KINDS))
def test_every_builtin_loads_through_the_one_loader(group):
    kind = plugins.KINDS[group]
    for name in plugins.BUILTINS[group]:
        assert getattr(plugins.load(group, name), kind.key) == name


def test_unknown_names_list_what_is_there():
    with pytest.raises(PluginError, match=r"unknown writer 'pdf' \(available: epub, json, md, xhtml"):
        plugins.load(plugins.WRITERS, "pdf")
    with pytest.raises(PluginError, match=r"unknown reporter 'csv' \(available: github, gitlab, json, junit, sarif, text"):
        plugins.load(plugins.REPORTERS, "csv")


def test_a_plugin_that_misnames_itself_is_refused(monkeypatch):
    monkeypatch.setitem(plugins.BUILTINS[plugins.REPORTERS], "yaml", "artconv.reporters.json:JsonReporter")
    with pytest.raises(PluginError, match="reporter registered as 'yaml' by artconv \\(built-in\\) calls itself 'json'"):
        plugins.load(plugins.REPORTERS, "yaml")


def test_version_without_plugins_is_one_word_and_a_number(artconv):
    result = artconv("--version")
    assert result.stdout.decode() == "artconv 0.1.0\n"
