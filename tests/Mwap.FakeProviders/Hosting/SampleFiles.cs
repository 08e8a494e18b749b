using System.Text;
using Mwap.FakeProviders.Drive;

namespace Mwap.FakeProviders.Hosting;

/// <summary>A small tree so that a standalone run has something to browse.</summary>
internal static class SampleFiles
{
    public static void Seed(FakeDrive files, FakeProvider provider)
    {
        var documents = files.AddFolder("/Documents");
        files.AddFile(documents, "Quarterly report.pdf", Encoding.UTF8.GetBytes("%PDF-1.4 fake report\n"));
        files.AddFile(documents, "Notes.txt");
        var photos = files.AddFolder("/Photos/2024");
        files.AddFile(photos, "Beach.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]);
        files.AddFiles(files.AddFolder("/Archive"), 25, "log");
        files.AddFile(files.Root, "Readme.md", Encoding.UTF8.GetBytes("# Fake " + provider + " account\n"));
        if (provider == FakeProvider.Google)
        {
            files.AddFile(documents, "Project plan", mimeType: "application/vnd.google-apps.document");
        }
    }
}
