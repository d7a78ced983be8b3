package org.hdil2.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * A locally generated RSA key pair that signs tokens for tests and the local stack, so that no identity server is
 * needed there. Production verifies tokens from the hospital's OIDC provider instead.
 */
public final class DevKeys {

    private DevKeys() {
    }

    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads the key pair kept in {@code dir}, generating and storing one the first time. */
    public static KeyPair loadOrCreate(Path dir) {
        Path privateFile = dir.resolve("signing-key.pk8.b64");
        Path publicFile = dir.resolve("signing-key.pub.b64");
        try {
            if (Files.exists(privateFile) && Files.exists(publicFile)) {
                KeyFactory rsa = KeyFactory.getInstance("RSA");
                PrivateKey priv = rsa.generatePrivate(new PKCS8EncodedKeySpec(
                        Base64.getDecoder().decode(Files.readString(privateFile).trim())));
                PublicKey pub = rsa.generatePublic(new X509EncodedKeySpec(
                        Base64.getDecoder().decode(Files.readString(publicFile).trim())));
                return new KeyPair(pub, priv);
            }
            Files.createDirectories(dir);
            KeyPair pair = generate();
            Files.writeString(privateFile, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
            Files.writeString(publicFile, publicKeyBase64(pair));
            return pair;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("unreadable key pair in " + dir, e);
        }
    }

    /** The public key as {@code quarkus.oidc.public-key} expects it: base64 of the X.509 encoding. */
    public static String publicKeyBase64(KeyPair pair) {
        return Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    }
}
