namespace Mwap.WebConsole.Services;

/// <summary>The caller's roles (<c>GET /users/me/roles</c>), loaded once per sign-in and reloaded when they change.</summary>
public sealed class RolesState(ApiClient api)
{
    public UserRoles? Roles { get; private set; }

    public event Action? Changed;

    public async Task<UserRoles> LoadAsync(bool force = false)
    {
        if (Roles is null || force)
        {
            Roles = await api.GetAsync<UserRoles>("users/me/roles");
            Changed?.Invoke();
        }

        return Roles;
    }

    public void Clear()
    {
        Roles = null;
        Changed?.Invoke();
    }
}
