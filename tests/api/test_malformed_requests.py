"""A JSON body of the wrong shape is the client's mistake: a clear 400, never "Internal server error"."""

import json

import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"query": 5}, "query must be a string"),
        ({"query": {"a": 1}}, "query must be a string"),
        ({"query": "{__typename}", "variables": [1]}, "variables must be a JSON object"),
        ({"query": "{__typename}", "variables": 7}, "variables must be a JSON object"),
        ({"query": "{__typename}", "variables": "[1]"}, "variables must be a JSON object"),
        ({"query": "{__typename}", "operationName": 5}, "operationName must be a string"),
    ],
)
def test_a_body_of_the_wrong_shape_gets_a_clear_error(body, message):
    response = Client().post("/graphql", data=json.dumps(body), content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": message, "extensions": {"code": "BAD_USER_INPUT"}}]}


@pytest.mark.django_db
def test_well_formed_bodies_still_run():
    client = Client()
    body = {"query": "query ($id: Int) { memberExist(id: $id) }", "variables": None, "operationName": None}

    response = client.post("/graphql", data=json.dumps(body), content_type="application/json")

    assert response.json() == {"data": {"memberExist": False}}
