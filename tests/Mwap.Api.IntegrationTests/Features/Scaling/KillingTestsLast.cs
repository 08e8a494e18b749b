using Xunit.Sdk;
using Xunit.v3;

namespace Mwap.Api.IntegrationTests.Features.Scaling;

/// <summary>
/// Runs tests whose name says they kill an instance after the others, so the killed instance need not be restarted
/// (and waited for) before another test; the rest keep their name order.
/// </summary>
public sealed class KillingTestsLast : ITestCaseOrderer
{
    public IReadOnlyCollection<TTestCase> OrderTestCases<TTestCase>(IReadOnlyCollection<TTestCase> testCases)
        where TTestCase : notnull, ITestCase =>
        [.. testCases.OrderBy(t => t.TestMethodName?.Contains("Killed", StringComparison.Ordinal) == true).ThenBy(t => t.TestMethodName, StringComparer.Ordinal)];
}
