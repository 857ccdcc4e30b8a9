from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.inbound_receive_body import InboundReceiveBody
from ...models.inbound_result import InboundResult
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    integration: str,
    *,
    body: InboundReceiveBody,
    webhook_id: str | Unset = UNSET,
    webhook_timestamp: str | Unset = UNSET,
    webhook_signature: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(webhook_id, Unset):
        headers["webhook-id"] = webhook_id

    if not isinstance(webhook_timestamp, Unset):
        headers["webhook-timestamp"] = webhook_timestamp

    if not isinstance(webhook_signature, Unset):
        headers["webhook-signature"] = webhook_signature

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/inbound/{integration}".format(
            integration=quote(str(integration), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> InboundResult | Problem | None:
    if response.status_code == 200:
        response_200 = InboundResult.from_dict(response.json())

        return response_200

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
) -> Response[InboundResult | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    integration: str,
    *,
    client: AuthenticatedClient | Client,
    body: InboundReceiveBody,
    webhook_id: str | Unset = UNSET,
    webhook_timestamp: str | Unset = UNSET,
    webhook_signature: str | Unset = UNSET,
) -> Response[InboundResult | Problem]:
    """Receive

     Another system's update to one stage, signed with the integration's `whsec_` secret.

    No API key: the signature is the credential (401 when missing, wrong, or more than 5 minutes
    off). A `webhook-id` already taken answers 200 with outcome `duplicate` and changes nothing.
    The update goes through the same rules as a technician's (409 for a refused transition).

    Args:
        integration (str):
        webhook_id (str | Unset):
        webhook_timestamp (str | Unset): Unix seconds
        webhook_signature (str | Unset): v1,<base64>
        body (InboundReceiveBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InboundResult | Problem]
    """

    kwargs = _get_kwargs(
        integration=integration,
        body=body,
        webhook_id=webhook_id,
        webhook_timestamp=webhook_timestamp,
        webhook_signature=webhook_signature,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    integration: str,
    *,
    client: AuthenticatedClient | Client,
    body: InboundReceiveBody,
    webhook_id: str | Unset = UNSET,
    webhook_timestamp: str | Unset = UNSET,
    webhook_signature: str | Unset = UNSET,
) -> InboundResult | Problem | None:
    """Receive

     Another system's update to one stage, signed with the integration's `whsec_` secret.

    No API key: the signature is the credential (401 when missing, wrong, or more than 5 minutes
    off). A `webhook-id` already taken answers 200 with outcome `duplicate` and changes nothing.
    The update goes through the same rules as a technician's (409 for a refused transition).

    Args:
        integration (str):
        webhook_id (str | Unset):
        webhook_timestamp (str | Unset): Unix seconds
        webhook_signature (str | Unset): v1,<base64>
        body (InboundReceiveBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InboundResult | Problem
    """

    return sync_detailed(
        integration=integration,
        client=client,
        body=body,
        webhook_id=webhook_id,
        webhook_timestamp=webhook_timestamp,
        webhook_signature=webhook_signature,
    ).parsed


async def asyncio_detailed(
    integration: str,
    *,
    client: AuthenticatedClient | Client,
    body: InboundReceiveBody,
    webhook_id: str | Unset = UNSET,
    webhook_timestamp: str | Unset = UNSET,
    webhook_signature: str | Unset = UNSET,
) -> Response[InboundResult | Problem]:
    """Receive

     Another system's update to one stage, signed with the integration's `whsec_` secret.

    No API key: the signature is the credential (401 when missing, wrong, or more than 5 minutes
    off). A `webhook-id` already taken answers 200 with outcome `duplicate` and changes nothing.
    The update goes through the same rules as a technician's (409 for a refused transition).

    Args:
        integration (str):
        webhook_id (str | Unset):
        webhook_timestamp (str | Unset): Unix seconds
        webhook_signature (str | Unset): v1,<base64>
        body (InboundReceiveBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InboundResult | Problem]
    """

    kwargs = _get_kwargs(
        integration=integration,
        body=body,
        webhook_id=webhook_id,
        webhook_timestamp=webhook_timestamp,
        webhook_signature=webhook_signature,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    integration: str,
    *,
    client: AuthenticatedClient | Client,
    body: InboundReceiveBody,
    webhook_id: str | Unset = UNSET,
    webhook_timestamp: str | Unset = UNSET,
    webhook_signature: str | Unset = UNSET,
) -> InboundResult | Problem | None:
    """Receive

     Another system's update to one stage, signed with the integration's `whsec_` secret.

    No API key: the signature is the credential (401 when missing, wrong, or more than 5 minutes
    off). A `webhook-id` already taken answers 200 with outcome `duplicate` and changes nothing.
    The update goes through the same rules as a technician's (409 for a refused transition).

    Args:
        integration (str):
        webhook_id (str | Unset):
        webhook_timestamp (str | Unset): Unix seconds
        webhook_signature (str | Unset): v1,<base64>
        body (InboundReceiveBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InboundResult | Problem
    """

    return (
        await asyncio_detailed(
            integration=integration,
            client=client,
            body=body,
            webhook_id=webhook_id,
            webhook_timestamp=webhook_timestamp,
            webhook_signature=webhook_signature,
        )
    ).parsed
