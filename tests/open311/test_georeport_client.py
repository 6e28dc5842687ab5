"""The read side as a real client uses it: the `georeport` package from PyPI, over HTTP."""

from __future__ import annotations

import pytest
import requests
from georeport import GeoReport


@pytest.fixture
def client311(live_api: str) -> GeoReport:
    return GeoReport(live_api, jurisdiction="milwaukee")


def test_the_client_lists_services_and_reads_a_definition(client311) -> None:
    services = client311.get_service_list()
    assert "drug_activity" in {s["service_code"] for s in services}
    definition = client311.get_service_definition("drug_activity")
    assert {a["code"] for a in definition["attributes"]} == {"occurred", "language"}


def test_the_client_queries_requests_with_filters(client311, some_requests) -> None:
    closed = client311.get_service_requests(status="closed")
    assert {r["service_request_id"] for r in closed} == {
        c.case_number for c in some_requests["closed"]
    }
    noise = client311.get_service_requests(service_code="noise")
    assert [r["service_request_id"] for r in noise] == [some_requests["noise"][0].case_number]
    case = some_requests["old"][0].case_number
    assert client311.get_service_requests(service_request_id=case)[0]["service_request_id"] == case
    one = client311.get_service_request(case)
    assert one["service_request_id"] == case and one["status"] == "open"


def test_the_client_reads_xml_the_same_way(live_api, some_requests) -> None:
    xml_client = GeoReport(live_api, jurisdiction="milwaukee", output_format="xml")
    services = xml_client.get_service_list()
    assert "noise" in {s["service_code"] for s in services}
    case = some_requests["noise"][0].case_number
    one = xml_client.get_service_request(case)
    assert one["service_request_id"] == case and one["service_code"] == "noise"
    closed = xml_client.get_service_requests(status="closed")
    assert len(closed) == len(some_requests["closed"])


def test_the_client_raises_on_errors_and_a_wrong_jurisdiction(live_api) -> None:
    with pytest.raises(requests.HTTPError) as raised:
        GeoReport(live_api, jurisdiction="chicago").get_service_list()
    assert raised.value.response.status_code == 404
    with pytest.raises(requests.HTTPError):
        GeoReport(live_api).get_service_definition("unicorns")
