using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;

namespace Mwap.Api.Features.Import;

/// <summary>
/// The fields the staging files a document by (<c>_id</c>, <c>tenantId</c>, <c>integrationId</c>), read straight from
/// its BSON bytes: one walk over the top-level elements that skips every other value by its length, instead of
/// building the whole document (it is built once, when its tenant is mapped). The walk also checks the document's
/// top-level layout, so a damaged dump still fails before anything is written.
/// </summary>
internal readonly record struct StagingFields(BsonValue? Id, BsonValue? TenantId, BsonValue? IntegrationId)
{
    public static StagingFields Read(byte[] bson, string collection)
    {
        try
        {
            using var reader = new BsonBinaryReader(new ByteBufferStream(new ByteArrayBuffer(bson, isReadOnly: true)));
            BsonValue? id = null, tenantId = null, integrationId = null;
            reader.ReadStartDocument();
            while (reader.ReadBsonType() != BsonType.EndOfDocument)
            {
                switch (reader.ReadName())
                {
                    case "_id":
                        id = ReadValue(reader);
                        break;
                    case "tenantId":
                        tenantId = ReadValue(reader);
                        break;
                    case "integrationId":
                        integrationId = ReadValue(reader);
                        break;
                    default:
                        reader.SkipValue();
                        break;
                }
            }

            reader.ReadEndDocument();
            return new StagingFields(id, tenantId, integrationId);
        }
        catch (Exception e) when (e is FormatException or EndOfStreamException or BsonException)
        {
            throw new ImportSourceException($"{collection}: a damaged BSON document ({e.Message}).", e);
        }
    }

    private static BsonValue ReadValue(BsonBinaryReader reader) =>
        BsonValueSerializer.Instance.Deserialize(BsonDeserializationContext.CreateRoot(reader));
}
