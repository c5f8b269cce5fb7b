"""``klems report``: the white paper as one self-contained HTML file and a PDF.

The PDF is checked as a reader sees it: its text (pdftotext, Debian poppler-utils) has the
Chinese chapter titles and the estimate's numbers, its first page rendered to PNG (pdftoppm) is
not blank; the HTML is opened in a real headless Chromium (Debian package chromium) when it is
installed, printed and screenshotted. Tests needing those programs skip with the reason.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings

import numpy as np
import pytest

from klems import cli
from klems.cli import report as report_cli
from klems.outputs.netcdf import write_netcdf
from klems.outputs.report.pdf import PDFUnavailable, chromium_command, find_chromium
from klems.pipeline.estimation import estimate
from klems.pipeline.options import EstimateOptions
from klems.sweep.parameters import parse_parameter
from klems.sweep.runner import run_sweep

CHAPTERS_ZH = ["数字经济总体规模", "增长态势", "数字产业化与产业数字化结构", "产业数字化渗透率",
               "全国排名", "与公开数据的对比", "敏感性分析", "方法与假设", "数据来源与状态"]
PDFTOTEXT = shutil.which("pdftotext")
PDFTOPPM = shutil.which("pdftoppm")
CHROMIUM = find_chromium()


@pytest.fixture(scope="module")
def sweep_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("sweep") / "sweep.nc"
    params = [parse_parameter("hardware.depreciation=0.25:0.40"),
              parse_parameter("software.mean_life=3:7")]
    ds = run_sweep("guangxi", params, EstimateOptions(), kind="sobol", draws=24, seed=2,
                   path=path)
    ds.close()
    return path


@pytest.fixture(scope="module")
def zh_report(tmp_path_factory, sweep_file):
    out = tmp_path_factory.mktemp("report")
    assert cli.main(["report", "--province", "广西", "--sweep", str(sweep_file),
                     "--pdf-engine", "weasyprint", "--out", str(out)]) == 0
    return out


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", " ", html, flags=re.S))


def test_html_is_self_contained_and_complete(zh_report):
    names = sorted(p.name for p in zh_report.iterdir())
    assert names == ["guangxi_report.html", "guangxi_report.pdf"]
    html = (zh_report / "guangxi_report.html").read_text(encoding="utf-8")
    # one file: no script, no stylesheet link, no image or font from elsewhere
    assert "<script" not in html and "<link" not in html
    assert not re.search(r"""(src|href)=["']?(https?:|file:|//)""", html)
    assert "@font-face" in html and "data:font/" in html
    assert len(re.findall(r'src="data:image/png;base64,', html)) >= 8   # incl. fan, tornado
    text = _text(html)
    for title in CHAPTERS_ZH:
        assert title in text, title
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = estimate("guangxi")
    y = int(result.year.values[-1])
    de = float(result.digital_economy.sel(year=y))
    assert f"{y}年，广西数字经济规模达到{de:,.1f}亿元" in text
    assert f"{100 * float(result.share_of_gdp.sel(year=y)):.1f}%" in text
    assert "计算机硬件" in text and "0.3119" in text           # δ of hardware, as used
    assert "模型测算" in text and "公布" in text                # provenance is stated
    assert "全国第" in text                                     # rank among the provinces
    assert "5200.00" in text.replace(",", "")                   # a published figure


def test_pdf_has_the_report(zh_report, tmp_path):
    pdf = zh_report / "guangxi_report.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed")
    txt = tmp_path / "r.txt"
    subprocess.run([PDFTOTEXT, "-layout", str(pdf), str(txt)], check=True, timeout=60)
    text = txt.read_text(encoding="utf-8")
    assert text.count("\f") >= 10                     # pages
    for title in CHAPTERS_ZH:
        assert title in text.replace(" ", ""), title  # Chinese glyphs map back to text


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm (Debian poppler-utils) is not installed")
def test_pdf_pages_render(zh_report, tmp_path):
    from PIL import Image

    subprocess.run([PDFTOPPM, "-r", "40", "-f", "1", "-l", "3", "-png",
                    str(zh_report / "guangxi_report.pdf"), str(tmp_path / "p")], check=True,
                   timeout=120)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == 3
    for page in pages:
        im = np.asarray(Image.open(page).convert("L"), dtype=float)
        assert im.std() > 5 and (im < 200).mean() > 0.002      # ink on the page


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: chromium)")
def test_report_in_headless_chromium(zh_report, tmp_path):
    """The HTML in a real browser: a screenshot with ink, and Chromium's own print to PDF."""
    from PIL import Image

    html = zh_report / "guangxi_report.html"
    shot = tmp_path / "screen.png"
    profile = tmp_path / "profile"
    profile.mkdir()
    proc = subprocess.run(chromium_command(CHROMIUM, str(profile), "--hide-scrollbars",
                                           "--window-size=1000,1400", f"--screenshot={shot}",
                                           html.as_uri()),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-500:]
    im = np.asarray(Image.open(shot).convert("L"), dtype=float)
    assert im.std() > 5 and (im < 128).mean() > 0.005
    pdf = tmp_path / "chromium.pdf"
    assert report_cli.write_pdf(html, pdf, "chromium") == "chromium"
    if PDFTOTEXT:
        txt = tmp_path / "c.txt"
        subprocess.run([PDFTOTEXT, str(pdf), str(txt)], check=True, timeout=60)
        text = txt.read_text(encoding="utf-8").replace(" ", "")
        assert all(t in text for t in CHAPTERS_ZH)


def test_english_report(tmp_path):
    assert cli.main(["report", "--province", "guangxi", "--lang", "en", "--no-ranks",
                     "--years", "2015-2021", "--pdf-engine", "none", "--out",
                     str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["guangxi_report_en.html"]
    text = _text((tmp_path / "guangxi_report_en.html").read_text(encoding="utf-8"))
    for title in ("Scale of the digital economy", "Growth", "Comparison with published",
                  "Method and assumptions", "Data provenance", "Sensitivity"):
        assert title in text
    assert "In 2021 the digital economy of Guangxi reached" in text
    assert "数字经济总体规模" not in text


def test_no_pdf_engine_leaves_the_html_and_says_why(tmp_path, monkeypatch, capsys):
    def fail(*args, **kwargs):
        raise PDFUnavailable("no PDF written — test: no engine")

    monkeypatch.setattr(report_cli, "write_pdf", fail)
    assert cli.main(["report", "--province", "guangxi", "--no-ranks", "--years", "2019-2021",
                     "--out", str(tmp_path)]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["guangxi_report.html"]
    assert "未生成PDF" in capsys.readouterr().err


def test_bad_sweep_file_exits_2_and_writes_nothing(tmp_path, capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = estimate("guangxi", years="2020-2021")
    not_a_sweep = tmp_path / "estimate.nc"
    write_netcdf(est, not_a_sweep)
    out = tmp_path / "out"
    for path, expected in ((tmp_path / "missing.nc", "cannot read the sweep file"),
                           (not_a_sweep, "not a 'klems sweep' file")):
        assert cli.main(["report", "--no-ranks", "--sweep", str(path), "--out",
                         str(out)]) == 2
        err = capsys.readouterr().err
        assert expected in err and "Traceback" not in err
    assert not out.exists()
