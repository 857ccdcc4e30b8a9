from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.inquiry_report import InquiryReport
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: Any | Unset = UNSET,
    to: Any | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_from_: Any | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: Any | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    else:
        json_to = to
    params["to"] = json_to

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/reports/inquiries",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> InquiryReport | Problem | None:
    if response.status_code == 200:
        response_200 = InquiryReport.from_dict(response.json())

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
) -> Response[InquiryReport | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    from_: Any | Unset = UNSET,
    to: Any | Unset = UNSET,
) -> Response[InquiryReport | Problem]:
    """Inquiry Report

     Inquiries and complaints per stage and department, by channel: which stage makes customers call.

    Args:
        from_ (Any | Unset): Start: a date (2026-11-01, the business's time zone) or a time with a
            zone; default 30 days before `to`
        to (Any | Unset): End: a date (that whole day) or a time with a zone; default now

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InquiryReport | Problem]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    from_: Any | Unset = UNSET,
    to: Any | Unset = UNSET,
) -> InquiryReport | Problem | None:
    """Inquiry Report

     Inquiries and complaints per stage and department, by channel: which stage makes customers call.

    Args:
        from_ (Any | Unset): Start: a date (2026-11-01, the business's time zone) or a time with a
            zone; default 30 days before `to`
        to (Any | Unset): End: a date (that whole day) or a time with a zone; default now

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InquiryReport | Problem
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    from_: Any | Unset = UNSET,
    to: Any | Unset = UNSET,
) -> Response[InquiryReport | Problem]:
    """Inquiry Report

     Inquiries and complaints per stage and department, by channel: which stage makes customers call.

    Args:
        from_ (Any | Unset): Start: a date (2026-11-01, the business's time zone) or a time with a
            zone; default 30 days before `to`
        to (Any | Unset): End: a date (that whole day) or a time with a zone; default now

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InquiryReport | Problem]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    from_: Any | Unset = UNSET,
    to: Any | Unset = UNSET,
) -> InquiryReport | Problem | None:
    """Inquiry Report

     Inquiries and complaints per stage and department, by channel: which stage makes customers call.

    Args:
        from_ (Any | Unset): Start: a date (2026-11-01, the business's time zone) or a time with a
            zone; default 30 days before `to`
        to (Any | Unset): End: a date (that whole day) or a time with a zone; default now

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InquiryReport | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
        )
    ).parsed
