"""The examples of docs/PYTHON.md run: each ```python block in order, in
one namespace, in a temporary folder holding corpus/."""

import contextlib
import io
import os
import re

from conftest import CORPUS, SOURCE_DIR


def test_python_md_examples_run(tmp_path, monkeypatch):
    text = (SOURCE_DIR / "docs" / "PYTHON.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```$", text, flags=re.S | re.M)
    assert len(blocks) >= 4
    os.symlink(CORPUS, tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    namespace = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for block in blocks:
            exec(compile(block, "docs/PYTHON.md", "exec"), namespace)
    # The outputs the examples' comments show.
    for shown in ["['Huawei', 'Ascend', \"Huawei's\", 'Ascend']", "query:7: missing closing quote",
                  "7 missing closing quote", "missing.idx: no such index", "1 0 2", "1 []",
                  "no-such-folder: no such file or directory"]:
        assert shown in printed.getvalue().splitlines(), shown
