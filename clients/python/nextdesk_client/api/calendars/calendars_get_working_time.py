import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.working_time import WorkingTime
from ...types import UNSET, Response


def _get_kwargs(
    key: str,
    *,
    from_: datetime.datetime,
    minutes: float,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_from_ = from_.isoformat()
    params["from"] = json_from_

    params["minutes"] = minutes

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/calendars/{key}/working-time".format(
            key=quote(str(key), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WorkingTime | None:
    if response.status_code == 200:
        response_200 = WorkingTime.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | WorkingTime]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    key: str,
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime,
    minutes: float,
) -> Response[Problem | WorkingTime]:
    """Get Working Time

     When ``minutes`` of this calendar's working time after ``from`` end.

    Args:
        key (str):
        from_ (datetime.datetime): The moment to count from, with its zone
        minutes (float): Working minutes

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WorkingTime]
    """

    kwargs = _get_kwargs(
        key=key,
        from_=from_,
        minutes=minutes,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    key: str,
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime,
    minutes: float,
) -> Problem | WorkingTime | None:
    """Get Working Time

     When ``minutes`` of this calendar's working time after ``from`` end.

    Args:
        key (str):
        from_ (datetime.datetime): The moment to count from, with its zone
        minutes (float): Working minutes

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WorkingTime
    """

    return sync_detailed(
        key=key,
        client=client,
        from_=from_,
        minutes=minutes,
    ).parsed


async def asyncio_detailed(
    key: str,
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime,
    minutes: float,
) -> Response[Problem | WorkingTime]:
    """Get Working Time

     When ``minutes`` of this calendar's working time after ``from`` end.

    Args:
        key (str):
        from_ (datetime.datetime): The moment to count from, with its zone
        minutes (float): Working minutes

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WorkingTime]
    """

    kwargs = _get_kwargs(
        key=key,
        from_=from_,
        minutes=minutes,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    key: str,
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime,
    minutes: float,
) -> Problem | WorkingTime | None:
    """Get Working Time

     When ``minutes`` of this calendar's working time after ``from`` end.

    Args:
        key (str):
        from_ (datetime.datetime): The moment to count from, with its zone
        minutes (float): Working minutes

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WorkingTime
    """

    return (
        await asyncio_detailed(
            key=key,
            client=client,
            from_=from_,
            minutes=minutes,
        )
    ).parsed
