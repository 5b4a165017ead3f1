package dev.gantry.engine.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM with a random 96-bit nonce per message and a 128-bit tag. The output is the nonce
 * followed by the ciphertext and tag. Associated data binds a ciphertext to the row it belongs to.
 * Thread-safe (a new {@link Cipher} per call).
 */
final class SecretCipher {
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    SecretCipher(SecretKey key) {
        this.key = key;
    }

    byte[] encrypt(byte[] plain, String associated) {
        try {
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain);
            return ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM: " + e.getMessage(), e);
        }
    }

    /**
     * @throws IllegalStateException when the data was not encrypted under this key with this
     *     associated data (another master key, a tampered or moved row)
     */
    byte[] decrypt(byte[] sealed, String associated) {
        if (sealed.length < NONCE + TAG_BITS / 8) {
            throw new IllegalStateException("the encrypted data is too short to be valid");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE));
            c.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(sealed, NONCE, sealed.length - NONCE);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalStateException("the encrypted data does not match the master key (was secrets/master.key replaced?)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt: " + e.getMessage(), e);
        }
    }
}
