from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.integration_create_type_0 import IntegrationCreateType0
from ...models.integration_create_type_1 import IntegrationCreateType1
from ...models.integration_with_secret import IntegrationWithSecret
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: IntegrationCreateType0 | IntegrationCreateType1,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/integrations",
    }

    if isinstance(body, IntegrationCreateType0):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> IntegrationWithSecret | Problem | None:
    if response.status_code == 201:
        response_201 = IntegrationWithSecret.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[IntegrationWithSecret | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: IntegrationCreateType0 | IntegrationCreateType1,
) -> Response[IntegrationWithSecret | Problem]:
    """Create Integration

     Register another system that posts signed updates to `POST /v1/inbound/{name}`.

    The `whsec_` secret is in this response only. Without a `mapping` the payload comes in our own
    shape: `{"order": "SO-1", "stage": "shipping", ...stage update fields}`.

    Args:
        body (IntegrationCreateType0 | IntegrationCreateType1):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IntegrationWithSecret | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: IntegrationCreateType0 | IntegrationCreateType1,
) -> IntegrationWithSecret | Problem | None:
    """Create Integration

     Register another system that posts signed updates to `POST /v1/inbound/{name}`.

    The `whsec_` secret is in this response only. Without a `mapping` the payload comes in our own
    shape: `{"order": "SO-1", "stage": "shipping", ...stage update fields}`.

    Args:
        body (IntegrationCreateType0 | IntegrationCreateType1):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IntegrationWithSecret | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: IntegrationCreateType0 | IntegrationCreateType1,
) -> Response[IntegrationWithSecret | Problem]:
    """Create Integration

     Register another system that posts signed updates to `POST /v1/inbound/{name}`.

    The `whsec_` secret is in this response only. Without a `mapping` the payload comes in our own
    shape: `{"order": "SO-1", "stage": "shipping", ...stage update fields}`.

    Args:
        body (IntegrationCreateType0 | IntegrationCreateType1):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IntegrationWithSecret | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: IntegrationCreateType0 | IntegrationCreateType1,
) -> IntegrationWithSecret | Problem | None:
    """Create Integration

     Register another system that posts signed updates to `POST /v1/inbound/{name}`.

    The `whsec_` secret is in this response only. Without a `mapping` the payload comes in our own
    shape: `{"order": "SO-1", "stage": "shipping", ...stage update fields}`.

    Args:
        body (IntegrationCreateType0 | IntegrationCreateType1):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IntegrationWithSecret | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
