"""Every file a service hands out is saved under a readable name, Chinese names included."""

from __future__ import annotations

from urllib.parse import unquote

from shared.web import download


def test_a_chinese_file_name_travels_as_utf8_with_an_ascii_fallback():
    r = download(b"%PDF", "application/pdf", "合格证-封丘金银花.pdf", inline=True)
    disposition = r.headers["content-disposition"]
    assert disposition.startswith('inline; filename="')
    fallback, utf8 = disposition.split("; filename*=UTF-8''")
    assert fallback.isascii() and fallback.endswith('.pdf"')
    assert unquote(utf8) == "合格证-封丘金银花.pdf"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["cache-control"] == "private, no-store"


def test_an_ascii_name_is_sent_once_and_a_quote_cannot_break_the_header():
    r = download("a,b\n", "text/csv; charset=utf-8", 'refunds-"x".csv')
    assert r.headers["content-disposition"] == 'attachment; filename="refunds-_x_.csv"'
    assert r.body == b"a,b\n"


async def test_the_catalog_import_template_downloads_as_an_attachment(client):
    r = await client.get("/v1/catalog/manage/products/import/template.csv", params={"lang": "zh"})
    assert r.status_code == 200, r.text
    assert (
        r.headers["content-disposition"] == 'attachment; filename="catalog-import-template-zh.csv"'
    )
    assert r.headers["cache-control"] == "public, max-age=3600"
