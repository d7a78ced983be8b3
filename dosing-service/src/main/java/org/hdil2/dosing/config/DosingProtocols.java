package org.hdil2.dosing.config;

import java.io.IOException;
import java.io.InputStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hdil2.dosing.domain.DosingProtocol;

/** Reads the configured dosing protocol ({@code protocols/<id>.json}) once at start. */
@ApplicationScoped
public class DosingProtocols {

    public static DosingProtocol read(String id) {
        String resource = "protocols/" + id + ".json";
        try (InputStream in = DosingProtocols.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no dosing protocol " + resource);
            }
            return new ObjectMapper().registerModule(new JavaTimeModule())
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(in, DosingProtocol.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    @Produces
    @Singleton
    DosingProtocol protocol(@ConfigProperty(name = "hdil2.dosing.protocol") String id) {
        return read(id);
    }
}
