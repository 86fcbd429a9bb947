using Seeding.Definitions;

namespace Seeding.Tests;

public class ServiceOrderTests
{
    private static ServiceSeeds S(string name, params string[] dependsOn) => new(name, dependsOn, []);

    [Fact]
    public void Dependencies_come_first_and_ties_break_by_name()
    {
        var order = ServiceOrder.Sort([S("audit", "tenant", "user", "license", "survey"), S("survey", "tenant", "user"), S("license", "tenant", "user"), S("user", "tenant"), S("tenant")]);
        Assert.Equal(["tenant", "user", "license", "survey", "audit"], order.Select(s => s.Service));
    }

    [Fact]
    public void A_cycle_is_named()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ServiceOrder.Sort([S("a", "b"), S("b", "c"), S("c", "a")]));
        Assert.Contains("a -> b -> c -> a", error.Message);
    }

    [Fact]
    public void A_missing_dependency_is_named()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ServiceOrder.Sort([S("user", "tenant")]));
        Assert.Contains("'user' depends on 'tenant'", error.Message);
    }
}
