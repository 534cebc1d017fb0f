"""The baked public pages, as a reader (and a phone, and a search engine) meets them."""

from __future__ import annotations

import gzip
import html as html_module
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import textstat

from dashboard.__main__ import main
from dashboard.bake.pages import TOPICS
from dashboard.bake.render import WORDS
from dashboard.bake.site import WRITERS, bake
from dashboard.catalog import Catalog, load_catalog
from dashboard.glossary import TERMS
from dashboard.pagespecs import BY_PATH
from dashboard.settings import DEFAULT_DATA_DIR, Settings
from dashboard.wording import NOTICE
from tests.unit.bakeprose import prose, prose_blocks

PAGES = ("index", *(t.slug for t in TOPICS))
MAX_GZIP = 50 * 1024


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(DEFAULT_DATA_DIR)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Path:
    out = tmp_path_factory.mktemp("site")
    bake(catalog, out, Settings())
    return out


def html(site: Path, slug: str) -> str:
    return (site / f"{slug}.html").read_text(encoding="utf-8")


def test_every_page_and_the_crawler_files_are_written(site: Path) -> None:
    names = {p.name for p in site.iterdir()}
    assert {f"{s}.html" for s in PAGES} | {"robots.txt", "sitemap.xml"} <= names
    assert len(PAGES) == 8


def test_the_bake_has_one_list_of_writers() -> None:
    assert WRITERS
    assert all(callable(w) for w in WRITERS)


@pytest.mark.parametrize("slug", PAGES)
def test_plain_words_read_at_grade_eight_or_below(site: Path, slug: str) -> None:
    text = prose(html(site, slug))
    if textstat.sentence_count(text) >= 3:
        assert textstat.flesch_kincaid_grade(text) <= 8, slug


def test_the_whole_site_reads_at_smog_nine_or_below(site: Path) -> None:
    text = " ".join(prose(html(site, slug)) for slug in PAGES)
    assert textstat.sentence_count(text) >= 30
    assert textstat.smog_index(text) <= 9


def test_a_hard_sentence_would_fail_the_readability_measure() -> None:
    hard = (
        "<main><p>Pharmacological antagonism of ionotropic glutamatergic N-methyl-D-aspartate receptors "
        "precipitates neuroplasticity-associated intracellular signalling cascades. Consequently, "
        "synaptogenesis necessitates comprehensive characterisation. Methodological heterogeneity "
        "complicates interpretation considerably.</p></main>"
    )
    assert textstat.flesch_kincaid_grade(prose(hard)) > 8


def test_prose_leaves_out_tables_citations_figures_and_the_footer() -> None:
    page = (
        "<main><p>Kept here.</p><table><tr><td><p>table</p></td></tr></table>"
        "<div class='src'>Source: <cite>X</cite></div><figure><figcaption>cap</figcaption></figure></main>"
        "<footer><p>foot</p></footer>"
    )
    assert prose_blocks(page) == ["Kept here."]


@pytest.mark.parametrize("slug", PAGES)
def test_fast_on_a_phone(site: Path, slug: str) -> None:
    raw = (site / f"{slug}.html").read_bytes()
    page = raw.decode()
    assert "<script" not in page.lower()
    assert page.count("<style>") == 1
    assert "system-ui" in page
    assert "<img" not in page
    assert '<link rel="stylesheet"' not in page
    for svg in re.findall(r"<svg[^>]*>", page):
        assert re.search(r'width="\d+"', svg)
        assert re.search(r'height="\d+"', svg)
    assert len(gzip.compress(raw)) <= MAX_GZIP


@pytest.mark.parametrize("slug", PAGES)
def test_found_and_shared(site: Path, slug: str) -> None:
    page = html(site, slug)
    assert '<html lang="en">' in page
    assert re.search(r"<title>[^<]{10,}</title>", page)
    assert re.search(r'<meta name="description" content="[^"]{20,}">', page)
    assert re.search(r'<link rel="canonical" href="[^"]+">', page)
    for tag in ("og:title", "og:description", "og:url", "og:type"):
        assert f'property="{tag}"' in page, tag
    for tag in ("twitter:card", "twitter:title", "twitter:description"):
        assert f'name="{tag}"' in page, tag


def test_canonical_urls_and_sitemap_use_the_site_address(tmp_path: Path, catalog: Catalog) -> None:
    settings = Settings.from_env({"DASHBOARD_SITE_URL": "https://ketamine.example.org/"})
    bake(catalog, tmp_path, settings)
    assert '<link rel="canonical" href="https://ketamine.example.org/side-effects.html">' in html(
        tmp_path, "side-effects"
    )
    assert '<link rel="canonical" href="https://ketamine.example.org/">' in html(tmp_path, "index")
    sitemap = (tmp_path / "sitemap.xml").read_text()
    for slug in PAGES[1:]:
        assert f"<loc>https://ketamine.example.org/{slug}.html</loc>" in sitemap
    assert "Sitemap: https://ketamine.example.org/sitemap.xml" in (tmp_path / "robots.txt").read_text()


def test_without_a_site_address_links_stay_relative(site: Path) -> None:
    assert '<link rel="canonical" href="glossary.html">' in html(site, "glossary")
    assert (site / "robots.txt").read_text().splitlines()[:2] == ["User-agent: *", "Allow: /"]
    assert "Disallow" not in (site / "robots.txt").read_text()  # the app is the site's root: nothing is kept out
    assert "<loc>glossary.html</loc>" in (site / "sitemap.xml").read_text()


def _hrefs(page: str) -> list[str]:
    return [html_module.unescape(h) for h in re.findall(r'href="([^"]*)"', page)]


@pytest.mark.parametrize("slug", PAGES)
def test_every_page_links_to_the_matching_app_view_with_real_filters(site: Path, slug: str) -> None:
    links = [h for h in _hrefs(html(site, slug)) if h.startswith("/")]
    assert links, slug
    for href in links:
        parts = urlsplit(href)
        spec = BY_PATH["overview"] if parts.path == "/" else BY_PATH[parts.path.strip("/")]
        keys = {p.key for p in spec.params}
        assert set(parse_qs(parts.query)) <= keys, href


def test_the_side_effects_page_opens_the_app_on_its_filters(site: Path) -> None:
    assert "/side-effects?timeframe=acute&amp;drug=esketamine" in html(site, "side-effects")


def test_the_app_under_its_own_path_is_kept_out_of_search_engines_the_landing_page_is_not(
    tmp_path: Path, catalog: Catalog
) -> None:
    """As deployed (the image's DASHBOARD_APP_BASE): the landing page at /, the app's empty shell at /app/."""
    bake(catalog, tmp_path, Settings.from_env({"DASHBOARD_APP_BASE": "/app/"}))
    robots = (tmp_path / "robots.txt").read_text().splitlines()
    assert robots[:3] == ["User-agent: *", "Allow: /", "Disallow: /app/"]
    assert 'href="/app/side-effects?timeframe=acute' in html(tmp_path, "side-effects")


def test_the_app_base_is_configurable(tmp_path: Path, catalog: Catalog) -> None:
    bake(catalog, tmp_path, Settings.from_env({"DASHBOARD_APP_BASE": "https://app.example.org/ket"}))
    assert 'href="https://app.example.org/ket/side-effects?timeframe=acute' in html(tmp_path, "side-effects")


def test_risk_in_natural_frequencies_with_both_groups_and_the_rows_time_frame(site: Path, catalog: Catalog) -> None:
    effects = catalog.frame("side_effects")
    assert effects is not None
    row = effects[(effects["effect"] == "Dissociation") & (effects["study_id"] == "spravato-trd-pool")].iloc[0]
    blocks = prose_blocks(html(site, "side-effects"))
    drug, other = round(row["incidence_pct"]), round(row["comparator_pct"])
    sentence = next(b for b in blocks if b.startswith(f"About {drug} in 100 people on esketamine"))
    assert f"and {other} in 100 on placebo" in sentence
    assert "dissociation" in sentence
    assert row["counted"] in sentence


@pytest.mark.parametrize("slug", ["index", "how-often-they-help", "side-effects"])
def test_absolute_numbers_come_before_relative_ones_and_uncertainty_is_in_words(site: Path, slug: str) -> None:
    page = html(site, slug)
    findings = re.findall(r'<article class="finding">(.*?)</article>', page, re.S)
    assert findings
    for block in findings:
        if "times as likely" in block:
            assert block.index(" in 100 ") < block.index("times as likely")
    assert "The true number could be as low as" in page


def test_benefits_and_harms_in_equal_detail_for_each_drug(site: Path) -> None:
    page = html(site, "index")
    for drug in ("Esketamine", "Ketamine"):
        section = page.split(f"<h2>{drug}: help and harm")[1].split("<h2>")[0]
        assert "About " in section, drug
        assert "<svg" in section, drug
    for slug in ("how-often-they-help", "side-effects"):
        page = html(site, slug)
        for drug in ("esketamine", "ketamine"):
            assert re.search(rf"About \d+ in 100 people on {drug}\b", page), (slug, drug)


def test_icon_arrays_have_a_hundred_squares_and_a_text_alternative(site: Path) -> None:
    page = html(site, "side-effects")
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert svgs
    for svg in svgs:
        assert 'role="img"' in svg
        assert "<title>" in svg
        paths = re.findall(r' d="([^"]*)"', svg)
        assert sum(p.count("z") for p in paths) == 100  # one closed square per person
        filled = re.search(r"<title>(\d+) of 100", svg)
        assert filled
        assert paths[0].count("z") == int(filled.group(1))


@pytest.mark.parametrize("slug", PAGES)
def test_each_page_has_the_date_version_notice_and_declarations(site: Path, catalog: Catalog, slug: str) -> None:
    page = html(site, slug)
    assert str(catalog.as_of) in page
    assert catalog.version in page
    assert NOTICE.split(",")[0] in page
    assert "not medical advice" in page
    for what in ("Produced by: not declared", "Funding and conflicts of interest: not declared"):
        assert what in page
    assert "Update policy: not declared" in page


def test_declarations_and_the_appointment_button_come_from_settings(tmp_path: Path, catalog: Catalog) -> None:
    env = {
        "DASHBOARD_PRODUCER": "Example Clinic <b>team</b>",
        "DASHBOARD_FUNDING": "No outside funding",
        "DASHBOARD_UPDATE_POLICY": "Checked every 6 months",
        "DASHBOARD_APPOINTMENT_URL": "https://clinic.example.org/book",
    }
    bake(catalog, tmp_path, Settings.from_env(env))
    page = html(tmp_path, "index")
    assert "Produced by: Example Clinic &lt;b&gt;team&lt;/b&gt;." in page
    assert "No outside funding" in page
    assert "Checked every 6 months" in page
    assert '<a class="button" href="https://clinic.example.org/book">Request an appointment</a>' in page


def test_an_unsafe_appointment_link_is_shown_disabled(tmp_path: Path, catalog: Catalog) -> None:
    bake(catalog, tmp_path, Settings.from_env({"DASHBOARD_APPOINTMENT_URL": "javascript:alert(1)"}))
    page = html(tmp_path, "questions")
    assert "javascript:" not in page
    assert 'aria-disabled="true"' in page
    assert "Appointment booking is not available on this site yet." in page


def test_every_number_names_its_source_with_a_safe_link(site: Path, catalog: Catalog) -> None:
    page = html(site, "side-effects")
    findings = re.findall(r'<article class="finding">(.*?)</article>', page, re.S)
    for block in findings:
        assert '<div class="src">Source: <cite>' in block
    assert "SPR21" in page
    for href in _hrefs(page):
        assert not href.lower().startswith(("javascript:", "data:"))


def test_csv_text_is_escaped(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for f in DEFAULT_DATA_DIR.glob("*.csv"):
        text = f.read_text(encoding="utf-8")
        if f.name == "claims.csv":
            text = text.replace("Suboxone for depression", "<script>alert(1)</script>", 1)
        (data / f.name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["bake", str(out), "--data", str(data)]) == 0
    page = html(out, "clinic-article")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("slug", [s for s in PAGES if s != "glossary"])
def test_every_glossary_word_in_the_prose_links_to_its_meaning(site: Path, slug: str) -> None:
    page = html(site, slug)
    text = prose(page)
    for word, anchor in WORDS:
        if re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE):
            assert f'href="glossary.html#{anchor}"' in page, (slug, word)


def test_the_glossary_has_every_term_at_its_anchor(site: Path) -> None:
    page = html(site, "glossary")
    for term in TERMS:
        assert f'id="{term.anchor}"' in page


def test_bake_command_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bake", str(tmp_path / "out"), "--data", str(DEFAULT_DATA_DIR)]) == 0
    assert "ok:" in capsys.readouterr().out
    assert main(["bake", str(tmp_path / "out"), "--data", str(tmp_path / "missing")]) == 2
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["bake", str(blocker), "--data", str(DEFAULT_DATA_DIR)]) == 2
    bad = tmp_path / "bad"
    bad.mkdir()
    for f in DEFAULT_DATA_DIR.glob("*.csv"):
        (bad / f.name).write_bytes(f.read_bytes())
    (bad / "outcomes.csv").write_text("nonsense\n1\n", encoding="utf-8")
    assert main(["bake", str(tmp_path / "out2"), "--data", str(bad)]) == 1
    assert not (tmp_path / "out2").exists()
