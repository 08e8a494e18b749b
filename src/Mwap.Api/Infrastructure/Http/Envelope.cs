using System.Text.Json.Serialization;

namespace Mwap.Api.Infrastructure.Http;

/// <summary>MWAP's success envelope: <c>{"success":true,"data":…}</c>.</summary>
internal sealed record Envelope<T>(T Data)
{
    [JsonPropertyOrder(-1)]
#pragma warning disable CA1822 // serialised as an instance property
    public bool Success => true;
#pragma warning restore CA1822
}

/// <summary>Builds MWAP success envelopes.</summary>
internal static class Envelope
{
    public static Envelope<T> Of<T>(T data) => new(data);
}

/// <summary>MWAP's error envelope: <c>{"success":false,"error":{"code","message","details"?,"traceId"}}</c>.</summary>
internal sealed record ErrorEnvelope(ErrorBody Error)
{
    [JsonPropertyOrder(-1)]
#pragma warning disable CA1822 // serialised as an instance property
    public bool Success => false;
#pragma warning restore CA1822
}

internal sealed record ErrorBody(
    string Code,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Details,
    string TraceId);
