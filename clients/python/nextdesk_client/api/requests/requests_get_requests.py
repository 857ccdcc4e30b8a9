from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.request_list import RequestList
from ...models.request_state import RequestState
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    department: str | Unset = UNSET,
    state: RequestState | Unset = UNSET,
    order: str | Unset = UNSET,
    limit: int | Unset = 50,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["department"] = department

    json_state: str | Unset = UNSET
    if not isinstance(state, Unset):
        json_state = state.value

    params["state"] = json_state

    params["order"] = order

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/requests",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | RequestList | None:
    if response.status_code == 200:
        response_200 = RequestList.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | RequestList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    department: str | Unset = UNSET,
    state: RequestState | Unset = UNSET,
    order: str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Response[Problem | RequestList]:
    """Get Requests

     Requests from the desk, newest first. A technician sees its own departments' only.

    Args:
        department (str | Unset):
        state (RequestState | Unset):
        order (str | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RequestList]
    """

    kwargs = _get_kwargs(
        department=department,
        state=state,
        order=order,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    department: str | Unset = UNSET,
    state: RequestState | Unset = UNSET,
    order: str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Problem | RequestList | None:
    """Get Requests

     Requests from the desk, newest first. A technician sees its own departments' only.

    Args:
        department (str | Unset):
        state (RequestState | Unset):
        order (str | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RequestList
    """

    return sync_detailed(
        client=client,
        department=department,
        state=state,
        order=order,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    department: str | Unset = UNSET,
    state: RequestState | Unset = UNSET,
    order: str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Response[Problem | RequestList]:
    """Get Requests

     Requests from the desk, newest first. A technician sees its own departments' only.

    Args:
        department (str | Unset):
        state (RequestState | Unset):
        order (str | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RequestList]
    """

    kwargs = _get_kwargs(
        department=department,
        state=state,
        order=order,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    department: str | Unset = UNSET,
    state: RequestState | Unset = UNSET,
    order: str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Problem | RequestList | None:
    """Get Requests

     Requests from the desk, newest first. A technician sees its own departments' only.

    Args:
        department (str | Unset):
        state (RequestState | Unset):
        order (str | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RequestList
    """

    return (
        await asyncio_detailed(
            client=client,
            department=department,
            state=state,
            order=order,
            limit=limit,
        )
    ).parsed
