using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Seeding.Documents;
using Seeding.TestSupport;

namespace Seeding.Firestore.Tests;

/// <summary>
/// Firestore's answer to a request it cannot parse is UNKNOWN with no detail ("Firestore failed with Unknown ()"). The
/// store's own settings are validated before any call, so the test makes the real emulator produce that answer by
/// rewriting a request on its way out (an invalid project in the resource names, as an unvalidated setting would have
/// sent), and checks that the error says what to check.
/// </summary>
public sealed class UnknownStatusTests
{
    [Fact]
    public async Task An_unknown_status_from_the_emulator_says_what_to_check()
    {
        var options = await FirestoreEmulator.OptionsAsync();
        options.MaxAttempts = 1;
        options.Interceptors.Add(new Misaddress($"projects/{options.ProjectId}/", "projects/Bad Project!/"));
        await using var store = new FirestoreDocumentStore(options);

        var e = await Assert.ThrowsAsync<FirestoreStoreException>(() => store.GetAllAsync([DocumentPath.Parse("c/a")]));

        Assert.Equal(StatusCode.Unknown, e.StatusCode);
        Assert.Contains("failed without saying why", e.Message);
        Assert.Contains("FIRESTORE_EMULATOR_HOST", e.Message);
        Assert.Contains("FIRESTORE_PROJECT_ID", e.Message);
        Assert.DoesNotContain("Unknown ()", e.Message);
    }

    /// <summary>Rewrites every resource name in outgoing requests (string fields, repeated or not) from one prefix to another.</summary>
    private sealed class Misaddress(string from, string to) : Interceptor
    {
        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
            TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
        {
            Rewrite((IMessage)request);
            return continuation(request, context);
        }

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
            TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        {
            Rewrite((IMessage)request);
            return continuation(request, context);
        }

        private void Rewrite(IMessage message)
        {
            foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
            {
                if (field.FieldType != Google.Protobuf.Reflection.FieldType.String)
                {
                    continue;
                }

                if (field.IsRepeated)
                {
                    var list = (System.Collections.IList)field.Accessor.GetValue(message);
                    for (var i = 0; i < list.Count; i++)
                    {
                        list[i] = ((string)list[i]!).Replace(from, to, StringComparison.Ordinal);
                    }
                }
                else
                {
                    field.Accessor.SetValue(message, ((string)field.Accessor.GetValue(message)).Replace(from, to, StringComparison.Ordinal));
                }
            }
        }
    }
}
