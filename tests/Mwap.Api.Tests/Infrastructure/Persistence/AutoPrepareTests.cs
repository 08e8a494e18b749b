using Mwap.Api.Infrastructure.Persistence;
using Npgsql;

namespace Mwap.Api.Tests.Infrastructure.Persistence;

/// <summary>Issue 13: PostgreSQL statements are prepared automatically unless the operator's connection string decides.</summary>
public sealed class AutoPrepareTests
{
    [Fact]
    public void AConnectionStringWithoutTheSetting_GetsAutomaticPreparation()
    {
        var result = new NpgsqlConnectionStringBuilder(PersistenceSetup.WithAutoPrepare("Host=db;Database=mwap;Username=mwap;Password=p"));

        Assert.Equal(64, result.MaxAutoPrepare);
        Assert.Equal(2, result.AutoPrepareMinUsages);
        Assert.Equal("db", result.Host);
        Assert.Equal("p", result.Password);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0, 5)]
    [InlineData("Host=db;MaxAutoPrepare=10;Auto Prepare Min Usages=7", 10, 7)]
    [InlineData("Host=db; max auto prepare = 0 ", 0, 5)]
    public void TheOperatorsChoice_IsKept(string connectionString, int maxAutoPrepare, int minUsages)
    {
        var result = new NpgsqlConnectionStringBuilder(PersistenceSetup.WithAutoPrepare(connectionString));

        Assert.Equal(maxAutoPrepare, result.MaxAutoPrepare);
        Assert.Equal(minUsages, result.AutoPrepareMinUsages);
    }

    [Fact]
    public void AQuotedValueThatLooksLikeTheKey_IsNotMistakenForIt()
    {
        var result = new NpgsqlConnectionStringBuilder(PersistenceSetup.WithAutoPrepare("Host=db;Password=\"x;Max Auto Prepare=0\""));

        Assert.Equal(64, result.MaxAutoPrepare);
        Assert.Equal("x;Max Auto Prepare=0", result.Password);
    }

    [Fact]
    public void NoConnectionString_StaysMissing_SoStartupValidationReportsIt()
    {
        Assert.Null(PersistenceSetup.WithAutoPrepare(null));
        Assert.Equal(" ", PersistenceSetup.WithAutoPrepare(" "));
    }
}
