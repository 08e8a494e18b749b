namespace Mwap.FakeProviders;

/// <summary>
/// What Drive's <c>files.list</c> is known to do, at times, with <c>q</c> OR-ing several <c>'id' in parents</c> terms
/// (Google issue tracker 149522397; rclone #3114 and #4289 work around it).
/// </summary>
public enum DriveSearchFault
{
    None,

    /// <summary>A query naming more than one parent answers an empty list without <c>nextPageToken</c>.</summary>
    EmptyForSeveralParents,

    /// <summary>A query naming more than one parent answers half of the page with <c>incompleteSearch: true</c>.</summary>
    IncompleteForSeveralParents,

    /// <summary>Every listing answers half of the page with <c>incompleteSearch: true</c>.</summary>
    IncompleteAlways,
}
