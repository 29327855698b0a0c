import re

import pytest


def _figure(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}">(\d+)<', html)
    assert match, element_id
    return match.group(1)


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        (
            "chuanshan",
            {
                "n-villages": "3",
                "n-poor-villages": "2",
                "n-households": "2",
                "n-monitored": "0",
                "n-producers": "1",
                "n-units": "1",
                "status-poor": "1",
                "status-non_poor": "1",
            },
        ),
        (
            "anju",
            {
                "n-villages": "1",
                "n-poor-villages": "1",
                "n-households": "1",
                "n-monitored": "0",
                "n-producers": "1",
                "n-units": "1",
                "status-poor": "1",
                "status-non_poor": "0",
            },
        ),
        (
            "city",
            {
                "n-villages": "5",
                "n-poor-villages": "3",
                "n-households": "3",
                "n-producers": "2",
                "n-units": "2",
                "status-poor": "2",
                "status-non_poor": "1",
            },
        ),
    ],
)
def test_home_shows_the_counts_of_my_region(client_for, user, expected):
    response = client_for(user).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert {key: _figure(html, key) for key in expected} == expected


def test_home_names_my_region(client_for):
    html = client_for("anju").get("/").content.decode()
    assert "安居区概况" in html
