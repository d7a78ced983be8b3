package org.hdil2.deploy.helm;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonParser;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;

/**
 * Validates a manifest against the Kubernetes 1.35 API as generated into client-java-api 26 from the API server's
 * OpenAPI document: the generated {@code fromJson} rejects fields the schema does not define (at every depth),
 * missing required fields and values of the wrong JSON type. It does not check enums, formats or the API server's
 * own validation rules; {@link #check} adds the name and label rules the chart could break.
 */
final class KubernetesSchema {

    private static final Map<String, Class<?>> MODELS = Map.of(
            "v1/ConfigMap", V1ConfigMap.class,
            "v1/Service", V1Service.class,
            "v1/ServiceAccount", V1ServiceAccount.class,
            "v1/Pod", V1Pod.class,
            "v1/PersistentVolumeClaim", V1PersistentVolumeClaim.class,
            "apps/v1/Deployment", V1Deployment.class,
            "autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class,
            "networking.k8s.io/v1/Ingress", V1Ingress.class);

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    private KubernetesSchema() {
    }

    static boolean knows(JsonNode doc) {
        return MODELS.containsKey(gvk(doc));
    }

    /** Problems found; empty when the manifest is valid. */
    static List<String> check(JsonNode doc) {
        List<String> problems = new ArrayList<>();
        String gvk = gvk(doc);
        Class<?> model = MODELS.get(gvk);
        if (model == null) {
            problems.add("not a Kubernetes 1.35 kind this chart may render: " + gvk);
            return problems;
        }
        try {
            model.getMethod("validateJsonElement", com.google.gson.JsonElement.class)
                    .invoke(null, JsonParser.parseString(doc.toString()));
            model.getMethod("fromJson", String.class).invoke(null, doc.toString());
        } catch (InvocationTargetException e) {
            problems.add(gvk + ": " + e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        String name = doc.at("/metadata/name").asText();
        boolean dnsLabel = gvk.equals("v1/Service");
        Pattern namePattern = dnsLabel ? DNS_LABEL : DNS_SUBDOMAIN;
        if (!namePattern.matcher(name).matches() || name.length() > (dnsLabel ? 63 : 253)) {
            problems.add(gvk + " " + name + ": invalid metadata.name");
        }
        labels(doc.at("/metadata/labels"), gvk + " " + name, problems);
        labels(doc.at("/spec/template/metadata/labels"), gvk + " " + name + " pod template", problems);
        for (JsonNode c : doc.at("/spec/template/spec/containers").isMissingNode() ? doc.at("/spec/containers")
                : doc.at("/spec/template/spec/containers")) {
            if (!DNS_LABEL.matcher(c.path("name").asText()).matches()) {
                problems.add(gvk + " " + name + ": invalid container name " + c.path("name"));
            }
            for (JsonNode p : c.path("ports")) {
                if (p.has("name") && p.path("name").asText().length() > 15) {
                    problems.add(gvk + " " + name + ": port name longer than 15 characters");
                }
            }
        }
        return problems;
    }

    private static void labels(JsonNode labels, String where, List<String> problems) {
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> l = it.next();
            String value = l.getValue().asText();
            if (!l.getValue().isTextual() || value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
                problems.add(where + ": invalid label value " + l.getKey() + "=" + l.getValue());
            }
        }
    }

    static String gvk(JsonNode doc) {
        return doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
    }
}
