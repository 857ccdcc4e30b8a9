from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.acknowledgement_in import AcknowledgementIn
from ...models.acknowledgement_public import AcknowledgementPublic
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    reference: str,
    *,
    body: AcknowledgementIn,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/orders/{reference}/acknowledgements".format(
            reference=quote(str(reference), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AcknowledgementPublic | Problem | None:
    if response.status_code == 201:
        response_201 = AcknowledgementPublic.from_dict(response.json())

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
) -> Response[AcknowledgementPublic | Problem]:
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
    body: AcknowledgementIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[AcknowledgementPublic | Problem]:
    """Post Acknowledgement

     Record what the customer was told: the order version, ETA, cost, and by which channel.

    The order leaves the desk's "to tell" queue until its next significant change, and later
    changes are measured against what was told here. A version older than the current one is
    refused with 409 (naming the current version and what changed) if the order has changed
    significantly since, or if a newer version was already told: an acknowledgement never
    replaces a newer one.

    Args:
        reference (str):
        idempotency_key (str | Unset): A retry with the same key gets the first answer; the same
            key with another body: 422
        body (AcknowledgementIn): What the customer was told. ETA and cost default to the order's
            current ones when the
            version told is the current version.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AcknowledgementPublic | Problem]
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
    body: AcknowledgementIn,
    idempotency_key: str | Unset = UNSET,
) -> AcknowledgementPublic | Problem | None:
    """Post Acknowledgement

     Record what the customer was told: the order version, ETA, cost, and by which channel.

    The order leaves the desk's "to tell" queue until its next significant change, and later
    changes are measured against what was told here. A version older than the current one is
    refused with 409 (naming the current version and what changed) if the order has changed
    significantly since, or if a newer version was already told: an acknowledgement never
    replaces a newer one.

    Args:
        reference (str):
        idempotency_key (str | Unset): A retry with the same key gets the first answer; the same
            key with another body: 422
        body (AcknowledgementIn): What the customer was told. ETA and cost default to the order's
            current ones when the
            version told is the current version.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AcknowledgementPublic | Problem
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
    body: AcknowledgementIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[AcknowledgementPublic | Problem]:
    """Post Acknowledgement

     Record what the customer was told: the order version, ETA, cost, and by which channel.

    The order leaves the desk's "to tell" queue until its next significant change, and later
    changes are measured against what was told here. A version older than the current one is
    refused with 409 (naming the current version and what changed) if the order has changed
    significantly since, or if a newer version was already told: an acknowledgement never
    replaces a newer one.

    Args:
        reference (str):
        idempotency_key (str | Unset): A retry with the same key gets the first answer; the same
            key with another body: 422
        body (AcknowledgementIn): What the customer was told. ETA and cost default to the order's
            current ones when the
            version told is the current version.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AcknowledgementPublic | Problem]
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
    body: AcknowledgementIn,
    idempotency_key: str | Unset = UNSET,
) -> AcknowledgementPublic | Problem | None:
    """Post Acknowledgement

     Record what the customer was told: the order version, ETA, cost, and by which channel.

    The order leaves the desk's "to tell" queue until its next significant change, and later
    changes are measured against what was told here. A version older than the current one is
    refused with 409 (naming the current version and what changed) if the order has changed
    significantly since, or if a newer version was already told: an acknowledgement never
    replaces a newer one.

    Args:
        reference (str):
        idempotency_key (str | Unset): A retry with the same key gets the first answer; the same
            key with another body: 422
        body (AcknowledgementIn): What the customer was told. ETA and cost default to the order's
            current ones when the
            version told is the current version.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AcknowledgementPublic | Problem
    """

    return (
        await asyncio_detailed(
            reference=reference,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
