using System.Net;
using Microsoft.AspNetCore.Authorization;
using Xunit.Abstractions;

namespace Provenance.Host.Tests.Boundary;

/// <summary>
/// The route × role matrix (<see cref="RouteRoleMatrix"/>) against a running node: every endpoint the app maps has a
/// row, names its access explicitly, and answers each caller exactly as the row says.
/// </summary>
[Collection(BoundaryCollection.Name)]
public sealed class RouteRoleMatrixTests(BoundaryNode f, ITestOutputHelper output)
{
    [Fact]
    public void Every_endpoint_in_the_endpoint_data_source_has_a_matrix_row_and_says_who_may_call_it()
    {
        var mapped = f.Node.Endpoints
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => (Method: m, Pattern: e.RoutePattern.RawText!, Endpoint: e)))
            .ToList();
        var rows = RouteRoleMatrix.Rows.Select(r => (r.Method, r.Pattern)).ToHashSet();

        Assert.All(mapped, e => Assert.True(rows.Contains((e.Method, e.Pattern)), $"{e.Method} {e.Pattern} is mapped but has no row in the route × role matrix"));
        Assert.All(rows, r => Assert.True(mapped.Any(e => (e.Method, e.Pattern) == r), $"the matrix has a row for {r.Method} {r.Pattern}, which is not mapped"));
        Assert.All(mapped, e => Assert.True(
            e.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null || e.Endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0,
            $"{e.Method} {e.Pattern} names no policy and does not allow anonymous callers: only the deny-all fallback guards it"));
        output.WriteLine($"{mapped.Count} endpoints, {RouteRoleMatrix.Rows.Count} rows × {Enum.GetValues<MatrixRole>().Length} callers = {RouteRoleMatrix.Rows.Count * Enum.GetValues<MatrixRole>().Length} cells");
    }

    [Fact]
    public async Task Every_route_answers_every_caller_as_the_matrix_says()
    {
        var wrong = new List<string>();
        var cells = 0;
        foreach (var row in RouteRoleMatrix.Rows)
        {
            foreach (var role in Enum.GetValues<MatrixRole>())
            {
                using var request = await row.Request(f, role);
                using var response = await f.Callers[role].SendAsync(request);
                cells++;
                var status = (int)response.StatusCode;
                var body = await response.Content.ReadAsStringAsync();
                if (status != row.ExpectedFor(role))
                {
                    wrong.Add($"{row} as {role}: {status}, expected {row.ExpectedFor(role)}: {Shorten(body)}");
                }
                else if (status is 401 or 403 or 404 && !row.Pattern.StartsWith("/dashboard", StringComparison.Ordinal)
                    && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    wrong.Add($"{row} as {role}: {status} without problem details ({response.Content.Headers.ContentType})");
                }
            }
        }

        output.WriteLine($"{cells} cells checked, {wrong.Count} wrong");
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public async Task A_distributor_never_sees_another_distributors_objects_in_lists()
    {
        var a = await f.Callers[MatrixRole.DistributorA].GetStringAsync($"/api/distributors/{BoundaryNode.DistributorA}/shipments");
        using var b = await f.Callers[MatrixRole.DistributorB].GetAsync($"/api/distributors/{BoundaryNode.DistributorA}/shipments");
        var receipt = await (await f.Callers[MatrixRole.DistributorB].PostAsync("/api/receipts", new StringContent(f.Tags[0]))).Content.ReadAsStringAsync();

        Assert.Contains(f.ShipmentToA.ToString(System.Globalization.CultureInfo.InvariantCulture), a, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, b.StatusCode);
        Assert.DoesNotContain("Alpha", await b.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("notAllocatedToYou", receipt, StringComparison.Ordinal);
        Assert.DoesNotContain(BoundaryNode.DistributorA, receipt, StringComparison.Ordinal);
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
