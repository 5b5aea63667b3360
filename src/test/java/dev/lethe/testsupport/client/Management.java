package dev.lethe.testsupport.client;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** Requests to the running application's management port, where /q/health and /q/metrics are served. */
public final class Management {

    private Management() {
    }

    /** A request to the management port of the application under test. */
    public static RequestSpecification given() {
        return RestAssured.given().port(port());
    }

    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }
}
