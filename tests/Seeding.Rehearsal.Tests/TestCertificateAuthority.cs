using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Seeding.Rehearsal.Tests;

/// <summary>
/// A certificate authority made for one test run (System.Security.Cryptography's CertificateRequest; nothing is added to
/// the machine's stores) and the server certificate it signs for 127.0.0.1. Only processes given
/// <see cref="ChildEnvironment"/> trust it: .NET on Linux validates server certificates through OpenSSL, and builds its
/// root store from OpenSSL's default file and directory, which the <c>SSL_CERT_FILE</c> variable replaces for the
/// process it is set in (checked on .NET 10: a child without it refuses the proxy's certificate).
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly X509Certificate2 _root;

    private TestCertificateAuthority(X509Certificate2 root, X509Certificate2 server, string rootPemPath)
    {
        _root = root;
        ServerCertificate = server;
        RootPemPath = rootPemPath;
    }

    /// <summary>The server certificate (with its private key) for <c>127.0.0.1</c> and <c>localhost</c>.</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>The root certificate as a PEM file: what <c>SSL_CERT_FILE</c> points at.</summary>
    public string RootPemPath { get; }

    /// <summary>The variables that make a child process trust this authority (and no other root in OpenSSL's default file).</summary>
    public IReadOnlyDictionary<string, string> ChildEnvironment => new Dictionary<string, string> { ["SSL_CERT_FILE"] = RootPemPath };

    /// <summary>Creates the authority and the server certificate; the root's PEM is written under <paramref name="directory"/>.</summary>
    public static TestCertificateAuthority Create(string directory)
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Seeding Rehearsal Test CA, O=Seeding tests", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, critical: false));
        var root = rootRequest.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var signed = serverRequest.Create(root, now.AddHours(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(16));
        using var withKey = signed.CopyWithPrivateKey(serverKey);
        // A certificate loaded from PKCS#12 holds its key the way Kestrel's TLS expects on every platform.
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);

        var pem = Path.Combine(directory, "rehearsal-root-ca.pem");
        File.WriteAllText(pem, root.ExportCertificatePem() + "\n");
        return new TestCertificateAuthority(root, server, pem);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _root.Dispose();
        ServerCertificate.Dispose();
    }
}
