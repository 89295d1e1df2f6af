package dev.backendteam.queryoptimizer.config;

import dev.backendteam.contract.nativeimage.NativeSourcesContract;

/** Native builds only (-Dnative): the generated native-image configuration holds what NativeConfigurationTest requires. */
class NativeSourcesCheck extends NativeSourcesContract {
    NativeSourcesCheck() {
        super(new NativeConfigurationTest());
    }
}
