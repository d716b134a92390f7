using System.Text.Json.Serialization;

namespace Supervision.Api.Tests.Harness;

public static class HttpExtensions
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string url, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, options: Json) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return client.SendAsync(request);
    }

    public static async Task<T> Read<T>(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(Json))!;

    public static async Task<JsonNode> ReadNode(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    /// <summary>Checks the status (failing with the body) and reads the JSON body.</summary>
    public static async Task<T> ReadAs<T>(this HttpResponseMessage response, int status = 200) =>
        await (await response.ShouldHaveStatus(status)).Read<T>();

    public static async Task<JsonNode> ReadNodeAs(this HttpResponseMessage response, int status) =>
        await (await response.ShouldHaveStatus(status)).ReadNode();

    /// <summary>Fails with the body in the message, so a wrong status explains itself.</summary>
    public static async Task<HttpResponseMessage> ShouldHaveStatus(this HttpResponseMessage response, int status)
    {
        if ((int)response.StatusCode != status)
        {
            Assert.Fail($"Expected {status} but got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        return response;
    }
}
