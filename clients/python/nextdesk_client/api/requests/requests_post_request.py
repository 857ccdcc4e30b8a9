from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.request_in import RequestIn
from ...models.request_public import RequestPublic
from ...types import UNSET, Response, Unset


def _get_kwargs(
    reference: str,
    *,
    body: RequestIn,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/orders/{reference}/requests".format(
            reference=quote(str(reference), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | RequestPublic | None:
    if response.status_code == 201:
        response_201 = RequestPublic.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[Problem | RequestPublic]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    reference: str,
    *,
    client: AuthenticatedClient,
    body: RequestIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | RequestPublic]:
    """Post Request

     Ask the back office: a customer's question, or a change the customer wants.

    Sent to the named stage's department, or to every department with a stage not yet done. It
    stays open until every stage it concerns has answered; `request.opened` goes out once per
    department concerned.

    Args:
        reference (str):
        idempotency_key (str | Unset): A retry with the same key gets the first answer; the same
            key with another body: 422
        body (RequestIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RequestPublic]
    """

    kwargs = _get_kwargs(
        reference=reference,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    reference: str,
    *,
    client: AuthenticatedClient,
    body: RequestIn,
    idempotency_key: str | Unset = UNSET,
) -> Problem | RequestPublic | None:
    """Post Request

     Ask the back office: a customer's question, or a change the customer wants.

    Sent to the named stage's department, or to every department with a stage not yet done. It
    stays open until every stage it concerns has answered; `request.opened` goes out once per
    department concerned.

    Args:
        reference (str):
        idempotency_key (str | Unset): A retry with the same key gets the first answer; the same
            key with another body: 422
        body (RequestIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RequestPublic
    """

    return sync_detailed(
        reference=reference,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    reference: str,
    *,
    client: AuthenticatedClient,
    body: RequestIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | RequestPublic]:
    """Post Request

     Ask the back office: a customer's question, or a change the customer wants.

    Sent to the named stage's department, or to every department with a stage not yet done. It
    stays open until every stage it concerns has answered; `request.opened` goes out once per
    department concerned.

    Args:
        reference (str):
        idempotency_key (str | Unset): A retry with the same key gets the first answer; the same
            key with another body: 422
        body (RequestIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RequestPublic]
    """

    kwargs = _get_kwargs(
        reference=reference,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    reference: str,
    *,
    client: AuthenticatedClient,
    body: RequestIn,
    idempotency_key: str | Unset = UNSET,
) -> Problem | RequestPublic | None:
    """Post Request

     Ask the back office: a customer's question, or a change the customer wants.

    Sent to the named stage's department, or to every department with a stage not yet done. It
    stays open until every stage it concerns has answered; `request.opened` goes out once per
    department concerned.

    Args:
        reference (str):
        idempotency_key (str | Unset): A retry with the same key gets the first answer; the same
            key with another body: 422
        body (RequestIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RequestPublic
    """

    return (
        await asyncio_detailed(
            reference=reference,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
