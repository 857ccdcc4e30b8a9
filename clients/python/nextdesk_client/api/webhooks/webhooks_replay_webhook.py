from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.replay_in_type_0 import ReplayInType0
from ...models.replay_in_type_1 import ReplayInType1
from ...models.replay_result import ReplayResult
from ...types import Response


def _get_kwargs(
    endpoint_id: str,
    *,
    body: ReplayInType0 | ReplayInType1,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/webhooks/{endpoint_id}/replay".format(
            endpoint_id=quote(str(endpoint_id), safe=""),
        ),
    }

    if isinstance(body, ReplayInType0):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | ReplayResult | None:
    if response.status_code == 202:
        response_202 = ReplayResult.from_dict(response.json())

        return response_202

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[Problem | ReplayResult]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    body: ReplayInType0 | ReplayInType1,
) -> Response[Problem | ReplayResult]:
    """Replay Webhook

     Send again every event after `after_event_id`, or from `since` on, that the endpoint's filters
    select: held, failed and delivered ones alike. A paused endpoint gets them once resumed.

    Args:
        endpoint_id (str):
        body (ReplayInType0 | ReplayInType1):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReplayResult]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    body: ReplayInType0 | ReplayInType1,
) -> Problem | ReplayResult | None:
    """Replay Webhook

     Send again every event after `after_event_id`, or from `since` on, that the endpoint's filters
    select: held, failed and delivered ones alike. A paused endpoint gets them once resumed.

    Args:
        endpoint_id (str):
        body (ReplayInType0 | ReplayInType1):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReplayResult
    """

    return sync_detailed(
        endpoint_id=endpoint_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    body: ReplayInType0 | ReplayInType1,
) -> Response[Problem | ReplayResult]:
    """Replay Webhook

     Send again every event after `after_event_id`, or from `since` on, that the endpoint's filters
    select: held, failed and delivered ones alike. A paused endpoint gets them once resumed.

    Args:
        endpoint_id (str):
        body (ReplayInType0 | ReplayInType1):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReplayResult]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    body: ReplayInType0 | ReplayInType1,
) -> Problem | ReplayResult | None:
    """Replay Webhook

     Send again every event after `after_event_id`, or from `since` on, that the endpoint's filters
    select: held, failed and delivered ones alike. A paused endpoint gets them once resumed.

    Args:
        endpoint_id (str):
        body (ReplayInType0 | ReplayInType1):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReplayResult
    """

    return (
        await asyncio_detailed(
            endpoint_id=endpoint_id,
            client=client,
            body=body,
        )
    ).parsed
