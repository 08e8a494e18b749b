using Mwap.Api.Infrastructure.Persistence;
using Npgsql;

namespace Mwap.Api.Tests.Infrastructure.Persistence;

/// <summary>Issue 13: PostgreSQL statements are prepared automatically, and pooled connections are not reset, unless the operator's connection string decides.</summary>
public sealed class AutoPrepareTests
{
    [Fact]
    public void AConnectionStringWithoutTheSetting_GetsAutomaticPreparation()
    {
        var result = new NpgsqlConnectionStringBuilder(PersistenceSetup.WithNpgsqlDefaults("Host=db;Database=mwap;Username=mwap;Password=p"));

        Assert.Equal(64, result.MaxAutoPrepare);
        Assert.Equal(2, result.AutoPrepareMinUsages);
        Assert.True(result.NoResetOnClose);
        Assert.Equal("db", result.Host);
        Assert.Equal("p", result.Password);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0, 5)]
    [InlineData("Host=db;MaxAutoPrepare=10;Auto Prepare Min Usages=7", 10, 7)]
    [InlineData("Host=db; max auto prepare = 0 ", 0, 5)]
    public void TheOperatorsChoice_IsKept(string connectionString, int maxAutoPrepare, int minUsages)
    {
        var result = new NpgsqlConnectionStringBuilder(PersistenceSetup.WithNpgsqlDefaults(connectionString));

        Assert.Equal(maxAutoPrepare, result.MaxAutoPrepare);
        Assert.Equal(minUsages, result.AutoPrepareMinUsages);
    }

    [Theory]
    [InlineData("Host=db;No Reset On Close=false", false)]
    [InlineData("Host=db;NoResetOnClose=true", true)]
    [InlineData("Host=db;Max Auto Prepare=0", true)]
    public void TheOperatorsResetChoice_IsKept_AndIndependentOfPreparation(string connectionString, bool noResetOnClose)
    {
        var result = new NpgsqlConnectionStringBuilder(PersistenceSetup.WithNpgsqlDefaults(connectionString));

        Assert.Equal(noResetOnClose, result.NoResetOnClose);
    }

    [Fact]
    public void AQuotedValueThatLooksLikeTheKey_IsNotMistakenForIt()
    {
        var result = new NpgsqlConnectionStringBuilder(PersistenceSetup.WithNpgsqlDefaults("Host=db;Password=\"x;Max Auto Prepare=0\""));

        Assert.Equal(64, result.MaxAutoPrepare);
        Assert.Equal("x;Max Auto Prepare=0", result.Password);
    }

    [Fact]
    public void NoConnectionString_StaysMissing_SoStartupValidationReportsIt()
    {
        Assert.Null(PersistenceSetup.WithNpgsqlDefaults(null));
        Assert.Equal(" ", PersistenceSetup.WithNpgsqlDefaults(" "));
    }
}
