import '@tensorflow/tfjs-node';
import * as tf from '@tensorflow/tfjs-core';
const [h, cin, cout, stride, k] = process.argv.slice(2).map(Number);
const x = tf.randomNormal([1, h, h, cin]);
const w = tf.randomNormal([k, k, cin, cout]);
const y = tf.conv2d(x, w, stride, 'same');
console.log('ok', y.shape);
