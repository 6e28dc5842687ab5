"""The home page leads the public to the numbers and the open data, in their language."""

from __future__ import annotations

import re


def test_home_links_to_public_numbers_and_open_data(client) -> None:
    page = client.get("/?lang=es").get_data(as_text=True)
    assert "Ver las cifras" in page and "Descargar los datos abiertos" in page
    links = re.findall(r'href="(/(?:metrics|exports|open311)[^"]*)"', page)
    assert len(links) == 3
    for link in links:
        assert client.get(link).status_code == 200, link
